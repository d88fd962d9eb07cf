"""How skills relate for matching: taxonomy relatives and whole-word partial matches (pure: no database)."""

import pytest

from matcher.taxonomy import match_kind, partial_pairs, related


def test_java_is_not_javascript():
    assert match_kind("Java", "JavaScript") is None
    assert match_kind("JavaScript", "Java") is None


def test_go_is_not_google_and_golang_is_go():
    assert match_kind("Go", "Google Cloud Platform") is None
    assert match_kind("golang", "Go") == "exact"


def test_related_is_symmetric_and_uses_the_taxonomy():
    assert related("Django", "Python")
    assert related("Python", "Django")
    assert related("DRF", "Django")
    assert related("Postgres", "SQL")
    assert related("React", "JavaScript")
    assert related("React Native", "React")
    assert not related("Java", "JavaScript")
    assert not related("Python", "Python")
    assert not related("Python", "unknown thing")


@pytest.mark.parametrize(
    ("candidate", "job", "kind"),
    [
        ("Python", "python", "exact"),
        ("JS", "JavaScript", "exact"),
        ("Postgres", "PostgreSQL", "exact"),
        ("Underwater basket weaving", "underwater  basket weaving", "exact"),
        ("Django", "Django REST framework", "partial"),  # a whole word inside the other, and related
        ("Django REST framework", "Django", "partial"),
        ("Python", "Python for data analysis", "partial"),  # whole-word containment of unknown skills
        ("SQL", "PostgreSQL", "partial"),  # not a word inside "PostgreSQL": a taxonomy relative
        ("Django", "Python", "partial"),
        ("Java", "JavaScript", None),
        ("Go", "Google", None),
        ("Go", "going concern", None),
        ("C", "C#", None),
        ("C", "C++", "partial"),  # a curated relative, not a word inside "C++"
        ("C", "Vitamin C", None),  # one letter is never "inside" another skill
        ("R", "R&D", None),
        ("Go", "go-to-market strategy", None),  # nor is a two-letter word
        ("C#", "C# developer", "partial"),  # symbols make a short token distinctive
        ("Python", "Ruby", None),
    ],
)
def test_match_kind(candidate, job, kind):
    assert match_kind(candidate, job) == kind


def test_partial_pairs_are_exactly_the_partial_match_kinds():
    names = ["Python", "Django", "Django REST framework", "SQL", "PostgreSQL", "Java", "JavaScript", "C", "C++", "Go"]
    expected = {
        (i, j) for i, a in enumerate(names) for j, b in enumerate(names) if i != j and match_kind(a, b) == "partial"
    }
    assert partial_pairs(names) == expected
    assert (names.index("Django"), names.index("Python")) in expected
