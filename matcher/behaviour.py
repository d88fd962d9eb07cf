"""What people did lately, as matching's recent-activity factor and trending jobs weigh it (docs/matching.md).

The weights of each kind of act live here, once: the activity factor sums them into a seeker's affinity for a
category and a company, trending jobs into a job's heat. Applications, bookmarks and feedback are the marketplace's
and matching's own rows; views and searches are analytics events, which sit above matching in the layers: the
analytics app registers a reader of them here when it starts (`register_source`), as the domains register their
socket frames with notifications, so matching reads them without importing analytics.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

ACTIVITY_DAYS = 30


class Act(StrEnum):
    APPLICATION = "application"
    BOOKMARK = "bookmark"
    FEEDBACK = "feedback"  # positive feedback on a recommendation (POSITIVE_FEEDBACK)
    VIEW = "view"
    SEARCH = "search"


# An application says most about what someone wants; ten views say about as much as one bookmark; a search
# names skills, not a job, so its weight is shared by the open jobs that ask for a searched skill (trending).
ACT_WEIGHTS: dict[Act, float] = {
    Act.APPLICATION: 3.0,
    Act.BOOKMARK: 1.0,
    Act.FEEDBACK: 1.0,
    Act.VIEW: 0.1,
    Act.SEARCH: 0.5,
}
POSITIVE_FEEDBACK = ("relevant", "applied")


@dataclass(frozen=True)
class JobAct:
    """`count` acts of one kind by one seeker on one job."""

    seeker_id: int
    act: Act
    job_id: int
    category: str
    company_id: int
    count: int = 1


@dataclass(frozen=True)
class SearchAct:
    """`count` searches by one seeker that named these skills (lower-case keys)."""

    seeker_id: int
    skills: tuple[str, ...]
    count: int = 1


BehaviourSource = Callable[[Sequence[int], datetime], Iterable[JobAct | SearchAct]]
_sources: dict[str, BehaviourSource] = {}


def register_source(name: str, source: BehaviourSource) -> None:
    """Add a reader of the acts of some seekers since a moment; registering a name again replaces it."""
    _sources[name] = source


def sources() -> tuple[BehaviourSource, ...]:
    return tuple(_sources.values())
