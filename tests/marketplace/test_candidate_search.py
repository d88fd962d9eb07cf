"""Full-text candidate search: `search` on /api/candidates/ over headline, skills, name, summary, the latest
parsed resume and location; ranked, with escaped highlights, indexed."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.utils import timezone

from marketplace import services
from marketplace.choices import SEARCH_CONFIG
from marketplace.models import JobSeekerProfile
from tests import factories
from tests.marketplace.test_query_counts import document_for

pytestmark = pytest.mark.django_db


def seeker(**profile):
    """A job seeker whose profile was written through the service, as the API writes it."""
    user = factories.SeekerFactory()
    services.profile_update(profile=user.profile, data={"headline": "", "skills": [], **profile})
    return user


def parsed_resume(owner, text, *, minutes_ago=0):
    document = document_for(owner)
    document.extracted_text = text
    document.parsed_at = timezone.now() - timezone.timedelta(minutes=minutes_ago)
    document.save()
    return document


def search(client, text, **params):
    response = client.get("/api/candidates/", {"search": text, **params})
    assert response.status_code == 200, response.content
    return response.data["results"]


def ids(results) -> list[int]:
    return [item["user"]["id"] for item in results]


# --- what is searched -----------------------------------------------------------------------------------
def test_headline_skills_summary_resume_location_and_name_are_searched(recruiter_client):
    by_headline = seeker(headline="Kotlin whisperer")
    by_skill = seeker(skills=[{"name": "Erlang"}])
    by_summary = seeker(summary="Ten years of Haskell.")
    by_resume = seeker()
    parsed_resume(by_resume, "Led a team writing Fortran for weather models.")
    by_location = seeker(location="Kigali")
    by_name = seeker()
    by_name.first_name = "Wangari"
    by_name.save()

    assert ids(search(recruiter_client, "kotlin")) == [by_headline.pk]
    assert ids(search(recruiter_client, "erlang")) == [by_skill.pk]
    assert ids(search(recruiter_client, "haskell")) == [by_summary.pk]
    assert ids(search(recruiter_client, "fortran")) == [by_resume.pk]
    assert ids(search(recruiter_client, "kigali")) == [by_location.pk]
    assert ids(search(recruiter_client, "wangari")) == [by_name.pk]
    assert search(recruiter_client, "cobol") == []


def test_words_are_stemmed_and_the_web_search_syntax_works(recruiter_client):
    backend = seeker(headline="Backend developer", summary="Python and Django")
    frontend = seeker(headline="Frontend developers", summary="TypeScript and React")

    assert set(ids(search(recruiter_client, "developing"))) == {backend.pk, frontend.pk}
    assert ids(search(recruiter_client, "developer -react")) == [backend.pk]
    assert set(ids(search(recruiter_client, "django or react"))) == {backend.pk, frontend.pk}
    assert ids(search(recruiter_client, '"backend developer"')) == [backend.pk]
    assert search(recruiter_client, '"developer backend"') == []


def test_only_the_latest_parsed_resume_counts(recruiter_client):
    user = seeker()
    old = parsed_resume(user, "Fortran veteran", minutes_ago=60)
    assert ids(search(recruiter_client, "fortran")) == [user.pk]

    newest = parsed_resume(user, "Rust convert")
    assert search(recruiter_client, "fortran") == []
    assert ids(search(recruiter_client, "rust")) == [user.pk]

    newest.delete()
    assert ids(search(recruiter_client, "fortran")) == [user.pk]
    old.delete()
    assert search(recruiter_client, "fortran") == []


def test_an_unparsed_resume_adds_nothing(recruiter_client):
    user = seeker()
    document = document_for(user)
    document.extracted_text = "Fortran"  # parsing under way: not the seeker's resume yet
    document.save()
    assert search(recruiter_client, "fortran") == []


def test_profile_edits_through_the_api_are_searchable_at_once(seeker_client, seeker, recruiter_client):
    assert seeker_client.patch("/api/profile/", {"summary": "Elixir and Phoenix"}, format="json").status_code == 200
    assert ids(search(recruiter_client, "phoenix")) == [seeker.pk]
    seeker_client.patch("/api/profile/", {"summary": "Go"}, format="json")
    assert search(recruiter_client, "phoenix") == []


# --- ranking and highlights ------------------------------------------------------------------------------
def test_results_come_best_match_first(recruiter_client):
    in_resume = seeker(headline="Engineer")
    parsed_resume(in_resume, "Some Kotlin at university.")
    in_summary = seeker(summary="I write Kotlin.")
    in_headline = seeker(headline="Kotlin engineer")
    everywhere = seeker(headline="Kotlin lead", skills=[{"name": "Kotlin"}], summary="Kotlin, Kotlin and more Kotlin.")

    results = search(recruiter_client, "kotlin")

    assert ids(results) == [everywhere.pk, in_headline.pk, in_summary.pk, in_resume.pk]
    ranks = [item["search_rank"] for item in results]
    assert ranks == sorted(ranks, reverse=True) and ranks[-1] > 0


def test_an_explicit_ordering_wins_over_relevance(recruiter_client):
    strong = seeker(headline="Kotlin lead", skills=[{"name": "Kotlin"}], experience_years=2)
    weak = seeker(summary="Some Kotlin", experience_years=9)
    assert ids(search(recruiter_client, "kotlin")) == [strong.pk, weak.pk]
    assert ids(search(recruiter_client, "kotlin", ordering="-experience_years")) == [weak.pk, strong.pk]


def test_highlights_mark_the_matches(recruiter_client):
    seeker(headline="Senior Kotlin engineer", summary="Builds Android apps in Kotlin.")
    [result] = search(recruiter_client, "kotlin")
    assert "<mark>Kotlin</mark>" in result["search_highlight"]
    assert "Android" in result["search_highlight"]


def test_highlights_come_from_the_resume_too(recruiter_client):
    user = seeker(headline="Engineer")
    parsed_resume(user, "Maintained the Fortran weather model for a decade.")
    [result] = search(recruiter_client, "fortran")
    assert "<mark>Fortran</mark>" in result["search_highlight"]


def test_highlights_escape_what_the_seeker_wrote(recruiter_client):
    seeker(summary='Kotlin & Java <3 <img src=x onerror="alert(1)"> <b>expert</b>')
    [result] = search(recruiter_client, "kotlin")
    highlight = result["search_highlight"]
    # PostgreSQL drops what it takes for tags; whatever it keeps reaches the browser escaped.
    assert "<img" not in highlight and "<b>" not in highlight
    assert "Kotlin</mark> &amp; Java &lt;3" in highlight and highlight.startswith("<mark>Kotlin")


def test_without_a_search_there_is_no_rank_or_highlight(recruiter_client):
    seeker(headline="Kotlin engineer")
    [result] = recruiter_client.get("/api/candidates/").data["results"]
    assert result["search_rank"] is None and result["search_highlight"] is None


# --- with the filters -------------------------------------------------------------------------------------
def test_search_combines_with_the_filters(recruiter_client):
    nairobi = seeker(headline="Kotlin engineer", location="Nairobi", experience_years=5)
    seeker(headline="Kotlin engineer", location="Lagos", experience_years=5)
    seeker(headline="Kotlin engineer", location="Nairobi", experience_years=1)
    assert ids(search(recruiter_client, "kotlin", location="nairobi", experience_min=3)) == [nairobi.pk]


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_search_lists_everyone(recruiter_client, blank):
    first, second = seeker(), seeker()
    assert set(ids(search(recruiter_client, blank))) == {first.pk, second.pk}


# --- bad input ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["x" * 201, "kotlin\x00"])
def test_unusable_search_text_is_400(recruiter_client, text):
    response = recruiter_client.get("/api/candidates/", {"search": text})
    assert response.status_code == 400
    assert "search" in response.data


ODD_TEXTS = ['"kotlin', "kotlin)", "!!! &&& |", "-", "or", "the", "'; drop table x; --", "ü ✓ 漢字", "a:*", "<b>"]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_search_text_is_an_answer_not_an_error(recruiter_client, text):
    seeker(headline="Kotlin engineer")
    response = recruiter_client.get("/api/candidates/", {"search": text})
    assert response.status_code == 200


# --- the index ---------------------------------------------------------------------------------------------
def test_the_search_can_use_the_gin_index():
    seeker(headline="Kotlin engineer")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = JobSeekerProfile.objects.filter(
            search_vector=SearchQuery("kotlin", config=SEARCH_CONFIG, search_type="websearch")
        ).explain()
    assert "profile_search_vector_gin" in plan
