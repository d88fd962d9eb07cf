"""Who hears of analytics: the company's recruiters and the admins, that their dashboards have new figures."""

from marketplace.selectors import recruiter_ids_of
from notifications import groups
from notifications.broadcaster import broadcaster


def dashboards_updated(*, company_id: int) -> None:
    """Not stored: an open dashboard reloads its figures; a closed one reads them fresh when opened."""
    broadcaster.publish_transient(
        to_groups=[*(groups.user_group(pk) for pk in recruiter_ids_of(company_id)), groups.role_group("admin")],
        frame={"type": "analytics_updated", "company_id": str(company_id)},
    )
