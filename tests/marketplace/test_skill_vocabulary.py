"""The skill vocabulary: aliases, whole-word extraction and normalization (pure: no database, no ../shared)."""

import gzip
import json
import time

import pytest

from marketplace import skill_vocabulary as st
from marketplace.skill_vocabulary import canonical, extract_skills, find_skills, normalize_skills


@pytest.mark.parametrize(
    ("alias", "expected"),
    [
        ("JS", "JavaScript"),
        ("javascript", "JavaScript"),
        ("ECMAScript", "JavaScript"),
        ("Postgres", "PostgreSQL"),
        ("psql", "PostgreSQL"),
        ("postgresql", "PostgreSQL"),
        ("golang", "Go"),
        ("go", "Go"),
        ("k8s", "Kubernetes"),
        ("React.js", "React"),
        ("ReactJS", "React"),
        ("react js", "React"),
        ("Node", "Node.js"),
        ("nodejs", "Node.js"),
        ("Node.JS", "Node.js"),
        ("  node . js ", "Node.js"),
        ("DRF", "Django REST framework"),
        ("django-rest-framework", "Django REST framework"),
        ("C sharp", "C#"),
        ("c#", "C#"),
        ("C++", "C++"),
        ("cpp", "C++"),
        (".NET", ".NET"),
        ("dotnet", ".NET"),
        ("F#", "F#"),
        ("Django", "Django"),
        ("celery", "Celery"),
        ("REDIS", "Redis"),
        ("AWS", "AWS"),
        ("Amazon Web Services", "AWS"),
        ("GCP", "Google Cloud Platform"),
        ("CI/CD", "CI/CD"),
        ("ci cd", "CI/CD"),
        ("continuous integration", "CI/CD"),
        ("REST API", "REST API"),
        ("RESTful", "REST API"),
        ("SQL", "SQL"),
        ("Structured query language SQL", "SQL"),
        ("Oracle Java", "Java"),
        ("Python (computer programming)", "Python"),
        ("scikit learn", "scikit-learn"),
        ("MS Excel", "Microsoft Excel"),
        ("communication skills", "Communication"),
    ],
)
def test_aliases_map_to_one_canonical_skill(alias, expected):
    assert canonical(alias) == expected


@pytest.mark.parametrize("name", ["py", "", "   ", "NET", "quantum basket weaving", "java script engine"])
def test_unknown_or_forbidden_aliases_are_none(name):
    assert canonical(name) is None


def test_symbols_that_change_the_meaning_are_kept():
    names = {canonical(n) for n in ["C", "C++", "C#", "F#", ".NET"]}
    assert names == {"C", "C++", "C#", "F#", ".NET"}
    assert canonical("c") == "C"
    assert canonical("r") == "R"


def test_java_is_not_javascript():
    assert canonical("Java") == "Java"
    assert canonical("JavaScript") == "JavaScript"
    assert extract_skills("We use JavaScript and TypeScript.") == ["JavaScript", "TypeScript"]
    assert "Java" not in extract_skills("Senior JavaScript engineer")
    assert extract_skills("Java and JavaScript") == ["Java", "JavaScript"]


def test_go_is_not_going_or_google_and_golang_is_go():
    assert "Go" not in extract_skills("We are going to grow; Google it; ongoing work; let's go!")
    assert extract_skills("Backend in Golang") == ["Go"]
    assert extract_skills("Services written in Go and Python") == ["Go", "Python"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Go above and beyond for our customers.", []),
        ("Go to market strategy", []),
        ("go", []),
        ("Skills: Go, Rust", ["Go", "Rust"]),
        ("Go and Rust are a plus.", ["Go", "Rust"]),
        ("Go and see for yourself.", []),
        ("- Go\n- R\n", ["Go", "R"]),
        ("Senior Go Developer", ["Go"]),
        ("statistics in R or Python", ["R", "Python"]),
        ("r and python", ["Python"]),
        ("C-level stakeholders", []),
        ("vitamin C supplements", []),
        ("strong C skills", ["C"]),
        ("The team will react quickly to incidents", []),
    ],
)
def test_short_and_ambiguous_aliases_need_their_case_and_a_standalone_token(text, expected):
    assert [s for s in extract_skills(text) if s in {"Go", "R", "C", "Rust", "Python", "React"}] == expected


def test_symbol_skills_are_extracted():
    text = "Required: C++, C#, .NET and ASP.NET; C/C++ embedded work; F# a plus; Node.js services."
    assert extract_skills(text) == ["C++", "C#", ".NET", "ASP.NET", "C", "F#", "Node.js"]


def test_multiword_skills_take_the_longest_alias():
    text = "Machine learning engineer: deep learning, natural language processing; Django REST framework APIs."
    found = extract_skills(text)
    assert found[:4] == ["Machine learning", "Deep learning", "Natural language processing", "Django REST framework"]
    assert "Django" not in found  # "Django REST framework" is one skill
    assert [m.text for m in find_skills("experience with machine learning")] == ["machine learning"]


def test_extraction_normalizes_spellings_and_deduplicates():
    text = "Postgres or PostgreSQL, psql; React.js/ReactJS; k8s (Kubernetes); JS and ECMAScript."
    assert extract_skills(text) == ["PostgreSQL", "React", "Kubernetes", "JavaScript"]


def test_find_skills_reports_where_each_alias_was_written():
    text = "Python/Django with Postgres"
    assert [(m.name, text[m.start : m.end]) for m in find_skills(text)] == [
        ("Python", "Python"),
        ("Django", "Django"),
        ("PostgreSQL", "Postgres"),
    ]


def test_title_and_description_extraction():
    title = "Senior Backend Engineer (Python, Django)"
    description = (
        "You will build REST APIs with Django REST framework, run background jobs on Celery and Redis, "
        "and deploy with Docker on AWS through CI/CD pipelines. Knowledge of PostgreSQL is required."
    )
    assert extract_skills(f"{title}\n{description}") == [
        "Python",
        "Django",
        "REST API",
        "Django REST framework",
        "Celery",
        "Redis",
        "Docker",
        "AWS",
        "CI/CD",
        "PostgreSQL",
    ]


def test_normalize_keeps_unknown_skills_cleans_and_deduplicates():
    names = [
        "js",
        "JavaScript",
        "  Underwater   Basket Weaving ",
        "underwater basket weaving",
        "Postgres",
        "",
        "postgres",
    ]
    assert normalize_skills(names) == ["JavaScript", "Underwater Basket Weaving", "PostgreSQL"]


def test_normalize_keeps_order_of_first_mention():
    assert normalize_skills(["k8s", "golang", "Kubernetes", "py", "Go"]) == ["Kubernetes", "Go", "py"]


def test_the_committed_data_file_is_compact_and_well_formed():
    assert st.DATA_PATH.stat().st_size < 2_000_000
    with gzip.open(st.DATA_PATH, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    names = [skill["name"] for skill in data["skills"]]
    assert len(names) == len(set(names)) > 10_000
    assert names == sorted(names, key=lambda n: (n.lower(), n))
    for skill in data["skills"][:500]:
        assert all(alias == alias.lower() for alias in skill.get("aliases", ()))
        assert skill["source"]
    postgres = next(skill for skill in data["skills"] if skill["name"] == canonical("postgres"))
    assert postgres["category"] == "Database"
    assert "curated" in postgres["source"]


def test_extraction_is_fast_after_the_first_load():
    paragraph = (
        "We are looking for a senior engineer who is going to own our Python and Django services, "
        "work with PostgreSQL, Redis and Celery, ship React.js front ends in TypeScript, and deploy with Docker "
        "and Kubernetes on AWS through CI/CD. Strong communication skills, attention to detail and a team player "
        "attitude matter as much as C++, C# or .NET experience; Go and Rust are a plus, Java is not required. "
    )
    words = paragraph.split()
    text = " ".join(words * (2000 // len(words) + 1))
    extract_skills(text)  # first load
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        found = extract_skills(text)
        best = min(best, time.perf_counter() - started)
    assert "Kubernetes" in found and "Go" in found
    assert len(text.split()) >= 2000
    assert best < 0.05, f"{best * 1000:.1f} ms for 2,000 words"
