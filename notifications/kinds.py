"""The kinds of stored notifications a user can set per channel (in-app, email), with their defaults.

Names only: the event `type`s and generic `notification_type`s of the contract, as strings, so this module
imports no domain. A kind missing here (a new one) is delivered in-app and mailed by default.

`urgent` kinds are mailed at once by the domain that sends them (core.mail through notifications.mailing), the
others wait for the offline digest. `new_message` is never mailed: the `message` notification (one per
conversation until read) stands for a whole conversation's messages.
"""

from typing import NamedTuple


class Kind(NamedTuple):
    type: str
    label: str
    email: bool
    urgent: bool = False
    # Nothing of this kind is shown in Kazi; it exists only as a mail (no in-app switch on the settings page).
    mail_only: bool = False


KINDS: tuple[Kind, ...] = (
    Kind("interview_scheduled", "Interview scheduled or moved", email=True, urgent=True),
    Kind("interview_cancelled", "Interview cancelled", email=True, urgent=True),
    Kind("interview_reminder", "Interview reminder", email=True, urgent=True),
    Kind("message", "New chat messages while away", email=True),
    Kind("participant_added", "Someone joined a group chat of yours", email=False),
    Kind("participant_removed", "Someone left or was removed from a group chat", email=False),
    Kind("application_received", "New application to your job", email=True),
    Kind("application_status_changed", "Your application moved", email=True),
    Kind("job_alert", "Saved search: a new matching job", email=True),
    Kind("match_score_calculated", "A strong match for you", email=False),
    Kind("job_posted", "Any new job posted", email=False),
    Kind("resume_completed", "Resume parsed", email=False),
    Kind("resume_failed", "Resume could not be read", email=True),
    Kind("candidate_added", "Candidate added", email=False),
    Kind("candidate_shared", "Candidate shared with you", email=True),
    Kind("bulk_upload_completed", "Bulk import finished", email=True),
    Kind("company_member_joined", "Someone joined your company's team", email=False),
    Kind("company_member_removed", "Someone left your company's team", email=True),
    Kind("data_export_ready", "Your data export is ready", email=False),
    Kind("weekly_report", "Weekly recruiter report (Monday mail)", email=True, mail_only=True),
)
BY_TYPE = {kind.type: kind for kind in KINDS}
# Live copies of what another stored notification already says: never mailed, on any setting.
# `data_export_ready` is mailed at once, with its link, by the export itself (privacy).
# `call_incoming` rings for 45 seconds: a mail would come too late (a missed call leaves a chat message).
NEVER_MAILED = frozenset({"new_message", "data_export_ready", "call_incoming"})


def kind_of(event_type: str, notification_type: str) -> str:
    """The kind a stored event is set by: a generic `notification`'s own type, else the event type."""
    return notification_type or event_type


def email_default(kind: str) -> bool:
    known = BY_TYPE.get(kind)
    return known.email if known else kind not in NEVER_MAILED
