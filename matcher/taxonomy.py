"""How two skills relate for matching: the same skill, a partial match, or nothing (pure, no ORM).

The names come from the marketplace's vocabulary (``marketplace/skill_vocabulary.py``: canonical names, aliases,
token keys); the relations between them from the same data file (``related``: parent/child such as Django -> Python,
PostgreSQL -> SQL, React -> JavaScript, C++ -> C, ESCO broader/narrower, O*NET name prefixes).

``match_kind`` calls two skills ``"exact"`` when their canonical names agree (unknown names: the same words) and
``"partial"`` when the whole token sequence of one occurs inside the other ("Django" / "Django REST framework",
"Python" / "Python for data analysis") or the data relates them. Whole words only: "Java" is not in "JavaScript",
and "SQL" vs "PostgreSQL" is partial only through the relation ("PostgreSQL" is one token and contains no "SQL"
token). A lone plain token of one or two letters is never "inside" another skill ("R" / "R&D", "Go" /
"go-to-market" are None), while symbols keep short tokens distinctive ("C#" / "C# developer" is partial).
"""

from functools import cache, lru_cache
from typing import Literal

from marketplace.skill_vocabulary import STOPWORDS, canonical, clean_name, is_ambiguous, skill_records, word_keys

MatchKind = Literal["exact", "partial"]


@cache
def _relations() -> dict[str, set[str]]:
    """Canonical name -> the names the data relates it to, both ways (the file lists each relation once)."""
    relations: dict[str, set[str]] = {}
    for skill in skill_records():
        for other in skill.get("related", ()):
            relations.setdefault(skill["name"], set()).add(other)
            relations.setdefault(other, set()).add(skill["name"])
    return relations


def related(a: str, b: str) -> bool:
    """Whether the taxonomy relates two different skills (parent/child: Django-Python, PostgreSQL-SQL, ...)."""
    ca, cb = canonical(a), canonical(b)
    if ca is None or cb is None or ca == cb:
        return False
    return cb in _relations().get(ca, ())


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    size = len(inner)
    if not size or size >= len(outer):
        return False
    if all(key in STOPWORDS for key in inner) or (size == 1 and is_ambiguous(inner[0])):
        return False
    return any(outer[i : i + size] == inner for i in range(len(outer) - size + 1))


@lru_cache(maxsize=131072)
def match_kind(candidate_skill: str, job_skill: str) -> MatchKind | None:
    """``"exact"`` for the same canonical skill, ``"partial"`` for a whole-word containment or a taxonomy relative.

    Whole words only: "Java" vs "JavaScript" and "Go" vs "Google" are None.
    """
    a = canonical(candidate_skill) or clean_name(candidate_skill)
    b = canonical(job_skill) or clean_name(job_skill)
    ka, kb = word_keys(a), word_keys(b)
    if not ka or not kb:
        return None
    if ka == kb:
        return "exact"
    if related(a, b) or _contains(ka, kb) or _contains(kb, ka):
        return "partial"
    return None


def partial_pairs(names: list[str]) -> set[tuple[int, int]]:
    """Every (i, j) with ``match_kind(names[i], names[j]) == "partial"``, without trying all pairs.

    Partial matches come from taxonomy relations or whole-word containment, so the
    candidates are the relatives of each name and the word sub-sequences of each
    name that are themselves names; each candidate is confirmed by match_kind, so
    the answer is exactly match_kind's.
    """
    index_of: dict[str, int] = {}
    by_words: dict[tuple[str, ...], list[int]] = {}
    resolved = []
    for i, name in enumerate(names):
        found = canonical(name) or clean_name(name)
        resolved.append(found)
        index_of.setdefault(found, i)
        by_words.setdefault(word_keys(found), []).append(i)
    relations = _relations()
    pairs: set[tuple[int, int]] = set()
    for i, found in enumerate(resolved):
        candidates = {index_of[other] for other in relations.get(found, ()) if other in index_of}
        words = word_keys(found)
        for size in range(1, len(words)):
            for start in range(len(words) - size + 1):
                candidates.update(by_words.get(words[start : start + size], ()))
        for j in candidates:
            if j == i:
                continue
            if match_kind(names[i], names[j]) == "partial":
                pairs.add((i, j))
            if match_kind(names[j], names[i]) == "partial":
                pairs.add((j, i))
    return pairs


def partial_of(job_skill: str, seeker_skills: frozenset[str]) -> bool:
    """Whether some skill of the seeker partly matches the job's (the one-pair scorer's ``partial_of``)."""
    return any(match_kind(skill, job_skill) == "partial" for skill in seeker_skills)
