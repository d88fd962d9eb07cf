"""Skill lists of jobs and profiles, normalized through the skills taxonomy (pure)."""

from collections.abc import Iterable

from marketplace.skill_vocabulary import normalize_skills

MAX_SKILL_LENGTH = 100


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
