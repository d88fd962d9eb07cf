"""Skill lists of jobs and profiles, normalized through the skills taxonomy (pure)."""

from collections.abc import Iterable
from functools import lru_cache

from marketplace.skill_vocabulary import canonical, extract_skills, normalize_skills

MAX_SKILL_LENGTH = 100
# A long description names many tools in passing; the first ones it names are the ones it is about.
MAX_TEXT_SKILLS = 20


def clean_skill_names(names: Iterable[str]) -> list[str]:
    """Canonical names ("js" -> "JavaScript"), unknown ones trimmed; de-duplicated, first spelling wins."""
    result: list[str] = []
    seen: set[str] = set()
    for name in normalize_skills(" ".join(str(raw).split()) for raw in names):
        name = name[:MAX_SKILL_LENGTH].strip()
        if name and name.lower() not in seen:
            seen.add(name.lower())
            result.append(name)
    return result


def lookup_keys(names: Iterable[str]) -> list[str]:
    """The lower-cased keys stored beside skill lists for case-insensitive filtering and matching."""
    return [name.lower() for name in clean_skill_names(names)]


def text_skills(*, title: str, description: str, listed: Iterable[str]) -> list[str]:
    """The canonical skills a job's title and description name that its skill lists do not, in order of first
    mention (at most MAX_TEXT_SKILLS). Stored on the job when it is saved, so no read extracts again."""
    listed_keys = {name.lower() for name in listed}
    found = extract_skills(f"{title}\n{description}")
    return [name for name in found if name.lower() not in listed_keys][:MAX_TEXT_SKILLS]


@lru_cache(maxsize=16384)
def search_skills(query: str) -> tuple[str, ...]:
    """The skill keys a job search names: its comma-separated parts looked up whole ("react", "ci/cd"), then the
    skills the text mentions ("python developer"). Searches arrive lower-cased, where free-text extraction skips
    ambiguous names ("go", "react"); the whole-part lookup still finds them. The same searches recur: cached."""
    found: list[str] = []
    for part in query.split(","):
        name = canonical(part) if part.strip() else None
        found.extend([name] if name else extract_skills(part))
    return tuple(dict.fromkeys(name.lower() for name in found))
