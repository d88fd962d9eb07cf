"""Skill list cleaning shared by jobs and profiles (pure)."""

from collections.abc import Iterable

MAX_SKILL_LENGTH = 100


def clean_skill_names(names: Iterable[str]) -> list[str]:
    """Trimmed, de-duplicated (case-insensitively) skill names, first spelling wins."""
    seen: set[str] = set()
    result: list[str] = []
    for raw in names:
        name = " ".join(str(raw).split())[:MAX_SKILL_LENGTH]
        key = name.lower()
        if name and key not in seen:
            seen.add(key)
            result.append(name)
    return result


def lookup_keys(names: Iterable[str]) -> list[str]:
    """The lower-cased keys stored beside skill lists for case-insensitive filtering."""
    return [name.lower() for name in clean_skill_names(names)]
