"""/api/ai/: recommendations, explanations, similar, candidates, trending, feedback, preferences; match events;
the rebuild command. Against the real database, through the HTTP API where there is one."""

import re
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from marketplace import services
from marketplace.models import Application
from matcher import selectors, tasks
from matcher import services as matcher_services
from matcher.models import Recommendation, RecommendationFeedback
from matcher.recommendations import recommendations_rebuild
from matcher.scoring import FACTORS
from notifications.models import Notification
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

RECOMMENDATIONS = "/api/ai/recommendations/"


def make_seeker(skills=(), **profile):
    """A job seeker whose skills are normalized as the API would store them."""
    user = factories.SeekerFactory()
    services.profile_update(profile=user.profile, data={"skills": [{"name": name} for name in skills], **profile})
    user.profile.refresh_from_db()
    return user


def backend_seeker():
    return make_seeker(
        ["Python", "Django", "PostgreSQL"],
        location="Nairobi, Kenya",
        experience_level="mid",
        desired_salary_min=60_000,
        preferred_employment_types=["full_time"],
    )


def explanation_url(job) -> str:
    return f"{RECOMMENDATIONS}{job.pk}/explanation/"


def get_ok(client, path, params=None):
    response = client.get(path, params or {})
    assert response.status_code == 200, response.content
    return response.json()


# --- recommendations ------------------------------------------------------------------------------
def test_recommendations_are_for_job_seekers_only(api_client, recruiter_client):
    factories.JobFactory()
    assert api_client.get(RECOMMENDATIONS).status_code == 401
    assert recruiter_client.get(RECOMMENDATIONS).status_code == 403
    assert client_for(factories.AdminFactory()).get(RECOMMENDATIONS).status_code == 403


def test_the_first_call_builds_the_list_from_nothing():
    seeker = backend_seeker()
    jobs = [factories.JobFactory() for _ in range(3)]
    factories.JobFactory(status="draft")
    factories.JobFactory(status="closed")
    assert not Recommendation.objects.filter(seeker=seeker).exists()

    body = get_ok(client_for(seeker), RECOMMENDATIONS)

    assert {item["job"]["id"] for item in body} == {job.pk for job in jobs}
    assert Recommendation.objects.filter(seeker=seeker).count() == 3
    assert [item["score"] for item in body] == sorted((item["score"] for item in body), reverse=True)


def test_the_shape_of_a_recommendation():
    seeker = backend_seeker()
    job = factories.JobFactory(skills_required=["Python", "Django"], skills_preferred=["Docker"])
    factories.JobFactory(skills_required=["Figma"], location="Berlin, Germany")

    body = get_ok(client_for(seeker), RECOMMENDATIONS)

    assert len(body) == 2
    for item in body:
        assert set(item) >= {"job", "score", "factors"}
        assert set(item["factors"]) == set(FACTORS)
        assert 0 <= item["score"] <= 100
        assert all(0 <= value <= 100 for value in item["factors"].values())
        assert {"id", "title", "company", "skills_required", "status"} <= set(item["job"])
    assert body[0]["job"]["id"] == job.pk
    assert body[0]["job"]["skills_required"] == ["Python", "Django"]


def test_limit_and_its_bounds():
    seeker = backend_seeker()
    for _ in range(12):
        factories.JobFactory()
    client = client_for(seeker)
    assert len(get_ok(client, RECOMMENDATIONS)) == 10  # the default
    assert len(get_ok(client, RECOMMENDATIONS, {"limit": 2})) == 2
    assert len(get_ok(client, RECOMMENDATIONS, {"limit": 50})) == 12
    for bad in ["0", "51", "-1", "abc", "2.5", "", "١"]:
        response = client.get(RECOMMENDATIONS, {"limit": bad})
        assert response.status_code == 400, bad
        assert "limit" in response.json()
    assert client.get(RECOMMENDATIONS, {"refresh": "maybe"}).status_code == 400


def test_refresh_rebuilds_after_a_better_job_opens():
    seeker = backend_seeker()
    for _ in range(3):
        factories.JobFactory(skills_required=["Java"], location="Lagos, Nigeria", experience_level="lead")
    client = client_for(seeker)
    before = get_ok(client, RECOMMENDATIONS)
    better = factories.JobFactory(
        skills_required=["Python", "Django", "PostgreSQL"], location="Nairobi, Kenya", experience_level="mid"
    )

    stored = get_ok(client, RECOMMENDATIONS)  # answered from the stored list: the new job is not in it yet
    assert [item["job"]["id"] for item in stored] == [item["job"]["id"] for item in before]
    assert better.pk not in {item["job"]["id"] for item in stored}

    refreshed = get_ok(client, RECOMMENDATIONS, {"refresh": "true"})
    assert refreshed[0]["job"]["id"] == better.pk
    assert refreshed[0]["score"] > max(item["score"] for item in before)
    assert Recommendation.objects.filter(seeker=seeker).count() == 4


def test_a_closed_job_leaves_the_stored_list():
    seeker = backend_seeker()
    jobs = [factories.JobFactory() for _ in range(3)]
    client = client_for(seeker)
    get_ok(client, RECOMMENDATIONS)
    jobs[0].status = "closed"
    jobs[0].save()
    assert jobs[0].pk not in {item["job"]["id"] for item in get_ok(client, RECOMMENDATIONS)}


def test_stored_recommendations_are_read_in_a_fixed_number_of_queries(django_assert_num_queries):
    seeker = backend_seeker()
    companies = [factories.CompanyFactory() for _ in range(3)]
    for n in range(12):
        factories.JobFactory(company=companies[n % 3])
    client = client_for(seeker)
    get_ok(client, RECOMMENDATIONS, {"limit": 10})  # builds the stored rows
    assert Recommendation.objects.filter(seeker=seeker).count() == 12

    with CaptureQueriesContext(connection) as captured:
        assert len(get_ok(client, RECOMMENDATIONS, {"limit": 2, "refresh": "false"})) == 2
    queries = len(captured)
    assert queries <= 4, [q["sql"] for q in captured]  # the user, "any stored rows?", the rows with their jobs

    with django_assert_num_queries(queries):
        assert len(get_ok(client, RECOMMENDATIONS, {"limit": 10, "refresh": "false"})) == 10


@pytest.mark.django_db(transaction=True)
def test_two_refreshes_of_one_seeker_at_once_both_succeed():
    """A second tab refreshing while the first one's rebuild has not committed yet: no clash, no 500."""
    seeker = backend_seeker()
    for _ in range(5):
        factories.JobFactory()
    outcome = {}

    def refresh_in_another_request():
        try:
            outcome["response"] = client_for(seeker).get(RECOMMENDATIONS, {"refresh": "true"})
        except Exception as exc:  # the test client re-raises what the view raised
            outcome["error"] = exc
        finally:
            connection.close()

    with transaction.atomic():  # the first rebuild, still uncommitted while the second one starts
        recommendations_rebuild(seeker_ids=[seeker.pk])
        other = threading.Thread(target=refresh_in_another_request)
        other.start()
        other.join(timeout=1.0)
        assert other.is_alive()  # it waits for the first one rather than writing beside it
    other.join(timeout=30)

    assert "error" not in outcome, outcome.get("error")
    assert outcome["response"].status_code == 200
    assert len(outcome["response"].json()) == 5
    ranks = sorted(Recommendation.objects.filter(seeker=seeker).values_list("rank", flat=True))
    assert ranks == [1, 2, 3, 4, 5]


# --- explanation ----------------------------------------------------------------------------------
def test_explanation_shape_and_agreement_with_the_score():
    seeker = backend_seeker()
    job = factories.JobFactory(
        skills_required=["Python", "Django", "Kubernetes"], skills_preferred=["Docker", "PostgreSQL"]
    )
    body = get_ok(client_for(seeker), explanation_url(job))

    assert set(body) >= {"job_id", "score", "factors", "matched_skills", "missing_skills", "reasons"}
    assert body["job_id"] == str(job.pk)
    assert set(body["factors"]) == set(FACTORS)
    assert all(set(value) == {"score", "weight"} for value in body["factors"].values())
    assert sum(value["weight"] for value in body["factors"].values()) == pytest.approx(1.0)
    weighted = sum(value["score"] * value["weight"] for value in body["factors"].values())
    assert body["score"] == pytest.approx(weighted, abs=0.05)
    assert 0 <= body["score"] <= 100

    job_keys = {name.lower() for name in job.skills_required + job.skills_preferred}
    profile_keys = set(seeker.profile.skill_names)
    matched = {name.lower() for name in body["matched_skills"]}
    missing = {name.lower() for name in body["missing_skills"]}
    partial = {name.lower() for name in body.get("partial_skills", [])}
    assert matched == job_keys & profile_keys == {"python", "django", "postgresql"}
    assert missing == {"kubernetes", "docker"}
    assert set(body["matched_skills"]) == {"Python", "Django", "PostgreSQL"}  # as the job spells them
    assert "Missing: Docker, Kubernetes." in body["reasons"]
    assert not matched & missing
    assert matched | missing | partial == job_keys
    assert not missing & profile_keys
    assert isinstance(body["reasons"], list) and all(isinstance(r, str) and r for r in body["reasons"])
    assert f"You have 3 of the {len(job_keys)} skills this job asks for." in body["reasons"]
    assert any(
        r.startswith("Missing: ") and {"kubernetes", "docker"} <= set(re.split(r"[:,.] ?", r.lower()))
        for r in body["reasons"]
    )


def test_explanation_agrees_with_the_stored_recommendation():
    seeker = make_seeker(["Python", "SQL"], location="Kenya", experience_years=6, remote=True)
    factories.ApplicationFactory(candidate=seeker, job=factories.JobFactory(category="data"))
    jobs = [
        factories.JobFactory(skills_required=["Python", "PostgreSQL"], location="Mombasa, Kenya", category="data"),
        factories.JobFactory(skills_required=["Django"], remote=True, salary_max=None, salary_min=None),
        factories.JobFactory(skills_required=["Figma"], location="Berlin, Germany", employment_type="contract"),
    ]
    client = client_for(seeker)
    stored = {item["job"]["id"]: item for item in get_ok(client, RECOMMENDATIONS, {"limit": 50})}
    for job in jobs:
        body = get_ok(client, explanation_url(job))
        assert body["score"] == pytest.approx(stored[job.pk]["score"], abs=0.02), job
        for name in FACTORS:
            assert body["factors"][name]["score"] == pytest.approx(stored[job.pk]["factors"][name], abs=0.01), name
    assert stored[jobs[0].pk]["factors"]["location"] == 60.0  # "Kenya" is the country of Mombasa, Kenya


def test_explanation_of_a_job_one_may_not_see_is_404(recruiter_client):
    seeker = backend_seeker()
    client = client_for(seeker)
    draft = factories.JobFactory(status="draft")
    assert client.get(explanation_url(draft)).status_code == 404
    assert client.get(f"{RECOMMENDATIONS}999999999/explanation/").status_code == 404
    closed = factories.JobFactory(status="closed")
    assert client.get(explanation_url(closed)).status_code == 200
    assert recruiter_client.get(explanation_url(closed)).status_code == 403


# --- similar jobs ---------------------------------------------------------------------------------
def test_a_job_sharing_skills_is_more_similar_than_one_sharing_none(seeker_client):
    job = factories.JobFactory(skills_required=["Python", "Django", "PostgreSQL"])
    close = factories.JobFactory(skills_required=["Python", "Django", "PostgreSQL", "Redis"])
    some = factories.JobFactory(skills_required=["Python", "Excel"])
    unrelated = factories.JobFactory(skills_required=["Figma", "Sketch"], category="tech")
    factories.JobFactory(skills_required=["Python", "Django"], status="draft")

    body = get_ok(seeker_client, f"/api/ai/jobs/{job.pk}/similar/")
    ids = [item["job"]["id"] for item in body]

    assert job.pk not in ids
    assert ids[:2] == [close.pk, some.pk]
    assert unrelated.pk not in ids or ids.index(unrelated.pk) > ids.index(some.pk)
    similarity = {item["job"]["id"]: item["similarity"] for item in body}
    assert 0 < similarity[some.pk] < similarity[close.pk] <= 100
    assert len(get_ok(seeker_client, f"/api/ai/jobs/{job.pk}/similar/", {"limit": 1})) == 1
    assert seeker_client.get(f"/api/ai/jobs/{job.pk}/similar/", {"limit": "x"}).status_code == 400
    draft = factories.JobFactory(status="draft")
    assert seeker_client.get(f"/api/ai/jobs/{draft.pk}/similar/").status_code == 404


# --- best candidates ------------------------------------------------------------------------------
def test_the_jobs_recruiter_gets_candidates_best_first():
    job = factories.JobFactory(skills_required=["Python", "Django", "PostgreSQL"], experience_level="mid")
    best = backend_seeker()
    middling = make_seeker(["Python"], location="Lagos, Nigeria", experience_level="junior")
    poor = make_seeker(["Figma"], location="Lima, Peru", experience_level="entry", desired_salary_min=500_000)
    recruiter = factories.RecruiterFactory(company=job.company)

    body = get_ok(client_for(recruiter), f"/api/ai/jobs/{job.pk}/candidates/")

    ids = [item["candidate_id"] for item in body]
    assert ids == [str(best.pk), str(middling.pk)]  # `poor` has none of the job's skills: not a candidate
    assert str(poor.pk) not in ids
    scores = [item["score"] for item in body]
    assert scores == sorted(scores, reverse=True)
    assert all(set(item["factors"]) == set(FACTORS) for item in body)
    assert body[0]["candidate"]["user"]["id"] == best.pk
    assert len(get_ok(client_for(recruiter), f"/api/ai/jobs/{job.pk}/candidates/", {"limit": 1})) == 1


def test_a_support_job_lists_no_engineer_without_any_of_its_skills():
    job = factories.JobFactory(title="Customer Support Agent", skills_required=["Zendesk", "Customer Service"])
    engineer = make_seeker(["Python", "Django"])
    agent = make_seeker(["Zendesk"])
    recruiter = factories.RecruiterFactory(company=job.company)

    body = get_ok(client_for(recruiter), f"/api/ai/jobs/{job.pk}/candidates/")

    assert [item["candidate_id"] for item in body] == [str(agent.pk)]
    assert str(engineer.pk) not in {item["candidate_id"] for item in body}
    assert all(item["factors"]["skills"] > 0 for item in body)


def test_a_job_without_skills_still_lists_candidates():
    job = factories.JobFactory(skills_required=[], skill_names=[])
    seeker = make_seeker(["Python"])
    recruiter = factories.RecruiterFactory(company=job.company)
    body = get_ok(client_for(recruiter), f"/api/ai/jobs/{job.pk}/candidates/")
    assert [item["candidate_id"] for item in body] == [str(seeker.pk)]


def test_the_pipeline_reads_each_applicants_score_and_skills():
    job = factories.JobFactory(skills_required=["Python", "Django", "PostgreSQL"])
    strong = factories.ApplicationFactory(job=job, candidate=backend_seeker())
    weak = factories.ApplicationFactory(job=job, candidate=make_seeker(["Figma"]))
    recruiter = factories.RecruiterFactory(company=job.company)

    body = get_ok(client_for(recruiter), f"/api/ai/jobs/{job.pk}/applicants/")

    by_application = {item["application_id"]: item for item in body}
    assert set(by_application) == {strong.pk, weak.pk}
    assert by_application[strong.pk]["score"] > by_application[weak.pk]["score"]
    assert by_application[weak.pk]["skills"]["missing"] == ["Python", "Django", "PostgreSQL"]
    assert client_for(factories.RecruiterFactory()).get(f"/api/ai/jobs/{job.pk}/applicants/").status_code == 403
    assert client_for(strong.candidate).get(f"/api/ai/jobs/{job.pk}/applicants/").status_code == 403


def test_candidates_are_for_the_jobs_company_only(seeker_client, recruiter_client):
    job = factories.JobFactory()
    backend_seeker()
    assert recruiter_client.get(f"/api/ai/jobs/{job.pk}/candidates/").status_code == 403  # another company's
    assert seeker_client.get(f"/api/ai/jobs/{job.pk}/candidates/").status_code == 403
    draft = factories.JobFactory(status="draft")
    assert recruiter_client.get(f"/api/ai/jobs/{draft.pk}/candidates/").status_code == 404
    assert client_for(factories.AdminFactory()).get(f"/api/ai/jobs/{job.pk}/candidates/").status_code == 200


# --- trending -------------------------------------------------------------------------------------
def test_a_job_with_recent_applications_trends_first(seeker_client):
    quiet = factories.JobFactory(category="tech")
    busy = factories.JobFactory(category="tech")
    some = factories.JobFactory(category="design")
    closed = factories.JobFactory(category="tech", status="closed")
    for _ in range(3):
        factories.ApplicationFactory(job=busy)
        Application.objects.create(job=closed, candidate=factories.SeekerFactory())
    factories.ApplicationFactory(job=some)

    body = get_ok(seeker_client, "/api/ai/trending/")
    ids = [item["job"]["id"] for item in body]
    assert ids[:2] == [busy.pk, some.pk]
    assert quiet.pk in ids and closed.pk not in ids
    heat = {item["job"]["id"]: item["trend_score"] for item in body}
    assert heat[busy.pk] > heat[some.pk] > 0 and heat[quiet.pk] == 0

    design = get_ok(seeker_client, "/api/ai/trending/", {"category": "design"})
    assert [item["job"]["id"] for item in design] == [some.pk]
    tech = get_ok(seeker_client, "/api/ai/trending/", {"category": "tech", "limit": 1})
    assert [item["job"]["id"] for item in tech] == [busy.pk]


def test_trending_is_open_to_anyone(api_client):
    factories.JobFactory()
    assert api_client.get("/api/ai/trending/").status_code == 200


def test_a_null_character_in_the_trending_category_is_a_400(api_client):
    # PostgreSQL takes no NUL in a text query: it was a 500.
    factories.JobFactory()

    response = api_client.get("/api/ai/trending/", {"category": "te\x00ch"})

    assert response.status_code == 400
    assert "category" in response.data


# --- feedback -------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["relevant", "not_relevant", "applied", "dismissed"])
def test_feedback_of_each_kind_is_stored(kind):
    seeker = backend_seeker()
    job = factories.JobFactory()
    response = client_for(seeker).post("/api/ai/feedback/", {"job_id": job.pk, "feedback": kind}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["feedback"] == kind and response.json()["job_id"] == str(job.pk)
    stored = RecommendationFeedback.objects.get(pk=response.json()["id"])
    assert (stored.seeker_id, stored.job_id, stored.feedback) == (seeker.pk, job.pk, kind)
    assert set(stored.factors) == set(FACTORS)


def test_bad_feedback_is_400_and_an_unknown_job_404(recruiter_client):
    client = client_for(backend_seeker())
    job = factories.JobFactory()
    response = client.post("/api/ai/feedback/", {"job_id": job.pk, "feedback": "love_it"}, format="json")
    assert response.status_code == 400 and "feedback" in response.json()
    assert client.post("/api/ai/feedback/", {"feedback": "relevant"}, format="json").status_code == 400
    response = client.post("/api/ai/feedback/", {"job_id": 999999999, "feedback": "relevant"}, format="json")
    assert response.status_code == 404
    draft = factories.JobFactory(status="draft")
    assert (
        client.post("/api/ai/feedback/", {"job_id": draft.pk, "feedback": "relevant"}, format="json").status_code == 404
    )
    body = {"job_id": job.pk, "feedback": "relevant"}
    assert recruiter_client.post("/api/ai/feedback/", body, format="json").status_code == 403
    assert not RecommendationFeedback.objects.exists()


# --- preferences ----------------------------------------------------------------------------------
def test_preferences_change_the_profile_and_the_job_type_factor():
    seeker = make_seeker(["Python"])
    client = client_for(seeker)
    job = factories.JobFactory(employment_type="full_time")
    assert get_ok(client, explanation_url(job))["factors"]["job_type"]["score"] == 70.0  # no preference stated

    response = client.post(
        "/api/ai/preferences/update/",
        {"preferred_employment_types": ["part_time"], "remote": True, "desired_salary_min": 40_000, "currency": "usd"},
        format="json",
    )
    assert response.status_code == 200, response.content
    seeker.profile.refresh_from_db()
    assert seeker.profile.preferred_employment_types == ["part_time"]
    assert seeker.profile.remote is True and seeker.profile.currency == "USD"
    assert seeker.profile.desired_salary_min == 40_000
    assert response.json()["preferred_employment_types"] == ["part_time"]
    assert get_ok(client, explanation_url(job))["factors"]["job_type"]["score"] == 20.0

    client.post("/api/ai/preferences/update/", {"preferred_employment_types": ["full_time"]}, format="json")
    body = get_ok(client, explanation_url(job))
    assert body["factors"]["job_type"]["score"] == 100.0
    assert "Full time is a type of work you prefer." in body["reasons"]


def test_bad_preferences_are_400():
    seeker = make_seeker(["Python"], desired_salary_max=50_000)
    client = client_for(seeker)
    url = "/api/ai/preferences/update/"
    assert client.post(url, {"preferred_employment_types": ["forever"]}, format="json").status_code == 400
    assert client.post(url, {"currency": "dollars"}, format="json").status_code == 400
    assert client.post(url, {"desired_salary_min": 90_000}, format="json").status_code == 400  # above the max
    seeker.profile.refresh_from_db()
    assert seeker.profile.desired_salary_min is None


# --- match events ---------------------------------------------------------------------------------
def test_a_newly_opened_job_announces_its_matches(settings):
    settings.KAZI_MATCH_THRESHOLD = 30
    job = factories.JobFactory(
        title="Backend Engineer", skills_required=["Python", "Django", "PostgreSQL"], experience_level="mid"
    )
    good = backend_seeker()
    poor = make_seeker(
        ["Figma"],
        location="Lima, Peru",
        experience_level="entry",
        desired_salary_min=500_000,
        preferred_employment_types=["internship"],
    )
    recruiters = [factories.RecruiterFactory(company=job.company) for _ in range(2)]
    other_recruiter = factories.RecruiterFactory()
    expected_score = selectors.explanation(good.profile, job)["score"]
    assert selectors.explanation(poor.profile, job)["score"] < 30 <= expected_score

    assert matcher_services.job_matches_announce(job_id=job.pk) == 1

    event = Notification.objects.get(recipient=good, event_type="match_score_calculated")
    assert re.fullmatch(r"(Excellent|Great) match! \d+% compatibility with Backend Engineer", event.message)
    assert event.message.split("! ")[1].startswith(f"{round(expected_score)}%")
    assert event.data["job_id"] == str(job.pk) and event.data["job_title"] == "Backend Engineer"
    assert event.data["match_score"] == pytest.approx(expected_score, abs=0.02)
    assert not Notification.objects.filter(recipient=poor).exists()
    # A retried task (acks_late, autoretry) announces nothing twice.
    assert matcher_services.job_matches_announce(job_id=job.pk) == 0
    assert Notification.objects.filter(recipient=good, event_type="match_score_calculated").count() == 1

    found = Notification.objects.filter(event_type="notification", notification_type="match_found")
    assert sorted(found.values_list("recipient_id", flat=True)) == sorted(r.pk for r in recruiters)
    assert not found.filter(recipient=other_recruiter).exists()
    first = found.first()
    assert "Backend Engineer" in first.title and first.data["matches"] == 1
    assert first.data["candidates"][0]["candidate_id"] == str(good.pk)


def test_a_threshold_of_zero_announces_every_seeker(settings):
    settings.KAZI_MATCH_THRESHOLD = 0
    job = factories.JobFactory()
    seekers = [backend_seeker(), make_seeker(["Figma"]), make_seeker()]
    factories.RecruiterFactory(company=job.company)
    assert matcher_services.job_matches_announce(job_id=job.pk) == 3
    events = Notification.objects.filter(event_type="match_score_calculated")
    assert sorted(events.values_list("recipient_id", flat=True)) == sorted(s.pk for s in seekers)
    assert Notification.objects.filter(notification_type="match_found").count() == 1


def test_a_job_closed_before_the_task_runs_announces_nothing(settings, django_capture_on_commit_callbacks):
    settings.KAZI_MATCH_THRESHOLD = 0
    backend_seeker()
    recruiter = factories.RecruiterFactory()
    job = factories.JobFactory(company=recruiter.company, status="draft")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.job_update(job=job, actor=recruiter, data={"status": "open"})
    # The task is queued once the opening commits (beside the job_posted broadcast).
    assert [c.__qualname__ for c in callbacks].count("on_job_opened.<locals>.<lambda>") == 1
    services.job_update(job=job, actor=recruiter, data={"status": "closed"})

    assert tasks.announce_job_matches(job.pk) == 0  # what the worker runs, later
    assert matcher_services.job_matches_announce(job_id=999999999) == 0  # deleted meanwhile
    assert not Notification.objects.filter(event_type="match_score_calculated").exists()
    assert not Notification.objects.filter(notification_type="match_found").exists()


# --- the rebuild command --------------------------------------------------------------------------
def test_rebuild_command_for_everyone_and_for_one():
    seekers = [backend_seeker() for _ in range(3)]
    for _ in range(4):
        factories.JobFactory()
    out = StringIO()
    call_command("rebuild_recommendations", verbosity=0, stdout=out)
    assert "Rebuilt 12 recommendations for 3 seeker(s) against 4 open jobs" in out.getvalue()
    assert all(Recommendation.objects.filter(seeker=s).count() == 4 for s in seekers)

    Recommendation.objects.all().delete()
    call_command("rebuild_recommendations", "--user", seekers[1].email.upper(), verbosity=0, stdout=StringIO())
    assert set(Recommendation.objects.values_list("seeker_id", flat=True)) == {seekers[1].pk}


def test_rebuild_command_refuses_an_unknown_user():
    recruiter = factories.RecruiterFactory()
    with pytest.raises(CommandError):
        call_command("rebuild_recommendations", "--user", "nobody@example.com", verbosity=0)
    with pytest.raises(CommandError):
        call_command("rebuild_recommendations", "--user", recruiter.email, verbosity=0)
    assert not Recommendation.objects.exists()


# --- issue 14: the skills factor as the contract reads it, and the two sides of a pair -------------------------
def test_identical_skill_sets_show_skills_100_in_the_explanation():
    seeker = make_seeker(["Python", "Django"])
    factories.JobFactory(skills_required=["Python", "Kubernetes"])  # other open jobs shape the IDF
    job = factories.JobFactory(skills_required=["Python", "Django"])
    body = get_ok(client_for(seeker), explanation_url(job))
    assert body["factors"]["skills"]["score"] == 100.0
    assert body["skills_coverage"] == {
        "matched": 2,
        "partial": 0,
        "asked": 2,
        "your_skills": 2,
        "share_of_your_skills": 1.0,
    }
    assert "You have 2 of the 2 skills this job asks for." in body["reasons"]
    weighted = sum(value["score"] * value["weight"] for value in body["factors"].values())
    assert body["score"] == pytest.approx(weighted, abs=0.05)


def test_the_stored_order_puts_the_job_that_uses_the_seekers_skills_first():
    seeker = make_seeker(["Kubernetes", "Terraform", "Go", "Microsoft Excel"])
    own = factories.JobFactory(skills_required=["Kubernetes", "Terraform", "Go", "Helm", "Prometheus"])
    excel = factories.JobFactory(skills_required=["Microsoft Excel"])
    for _ in range(3):
        factories.JobFactory(skills_required=["Microsoft Excel", "Figma"])
    body = get_ok(client_for(seeker), RECOMMENDATIONS, {"limit": 50})
    order = [item["job"]["id"] for item in body]
    assert order.index(own.pk) < order.index(excel.pk)
    by_id = {item["job"]["id"]: item for item in body}
    # Shown: Excel is the whole of its job; the own job misses two skills. Ranked: the own job uses 3 of 4.
    assert by_id[excel.pk]["factors"]["skills"] == 100.0 > by_id[own.pk]["factors"]["skills"]
    explained = get_ok(client_for(seeker), explanation_url(excel))
    assert "It uses 1 of your 4 skills." in explained["reasons"]
    assert explained["rank_score"] < get_ok(client_for(seeker), explanation_url(own))["rank_score"]


def test_a_candidate_with_every_required_skill_ranks_above_one_missing_some():
    job = factories.JobFactory(
        skills_required=["Figma", "Rust"], skills_preferred=["Docker", "Redis", "Scala", "Terraform"]
    )
    common = {"location": "Nairobi, Kenya", "experience_level": "mid", "preferred_employment_types": ["full_time"]}
    missing_one = make_seeker(["Figma", "Docker", "Redis", "Scala", "Terraform"], **common)
    every_required = make_seeker(["Figma", "Rust"], **common)
    recruiter = factories.RecruiterFactory(company=job.company)

    body = get_ok(client_for(recruiter), f"/api/ai/jobs/{job.pk}/candidates/")

    assert [item["candidate_id"] for item in body] == [str(every_required.pk), str(missing_one.pk)]
    assert body[0]["factors"]["skills"] > body[1]["factors"]["skills"]
    assert body[0]["skills"]["summary"] == "Has 2 of the 6 skills the job lists."
    assert body[1]["skills"]["summary"] == "Has 5 of the 6 skills the job lists."
    assert body[1]["skills"]["missing"] == ["Rust"] and body[1]["skills"]["partial"] == []


def test_recruiters_do_not_hold_a_candidates_other_skills_against_them():
    job = factories.JobFactory(skills_required=["Python", "Django"])
    common = {"location": "Nairobi, Kenya", "experience_level": "mid"}
    broad = make_seeker(["Python", "Django", "Go", "Rust", "Figma", "Kubernetes", "Terraform", "Scala"], **common)
    narrow = make_seeker(["Python", "Django"], **common)
    recruiter = factories.RecruiterFactory(company=job.company)

    body = get_ok(client_for(recruiter), f"/api/ai/jobs/{job.pk}/candidates/")

    by_id = {item["candidate_id"]: item for item in body}
    assert by_id[str(broad.pk)]["factors"]["skills"] == by_id[str(narrow.pk)]["factors"]["skills"] == 100.0
    assert by_id[str(broad.pk)]["score"] == by_id[str(narrow.pk)]["score"]


# --- related skills (the learned skill space) -----------------------------------------------------
def test_a_learned_relative_shows_as_related_experience_in_the_explanation():
    seeker = make_seeker(["MySQL", "Python"])
    job = factories.JobFactory(skills_required=["PostgreSQL", "Python"])
    body = get_ok(client_for(seeker), explanation_url(job))
    assert body["partial_skills"] == ["PostgreSQL"] and body["missing_skills"] == []
    assert "Related experience counts partly for: PostgreSQL." in body["reasons"]
    assert 50 < body["factors"]["skills"]["score"] < 100


def test_similar_jobs_include_one_of_related_tools_that_shares_no_skill(seeker_client):
    job = factories.JobFactory(skills_required=["Dassault Systemes CATIA", "PTC Creo Parametric"])
    related_tools = factories.JobFactory(skills_required=["Dassault Systemes SolidWorks", "Autodesk Inventor"])
    unrelated = factories.JobFactory(skills_required=["Figma", "Sketch"])
    body = get_ok(seeker_client, f"/api/ai/jobs/{job.pk}/similar/")
    ids = [item["job"]["id"] for item in body]
    assert related_tools.pk in ids and unrelated.pk not in ids
    assert 0 < body[ids.index(related_tools.pk)]["similarity"] <= 100


def test_a_short_listing_prefers_the_candidate_with_the_skills_its_description_names():
    job = factories.JobFactory(
        skills_required=["Python"],
        description="You will build Django services on PostgreSQL.",
    )
    assert job.skills_extracted == ["Django", "PostgreSQL"]
    without = make_seeker(["Python"])
    with_them = make_seeker(["Python", "Django", "PostgreSQL"])
    recruiter = factories.RecruiterFactory(company=job.company)

    body = get_ok(client_for(recruiter), f"/api/ai/jobs/{job.pk}/candidates/")

    assert [item["candidate_id"] for item in body] == [str(with_them.pk), str(without.pk)]
    assert body[0]["factors"]["skills"] == 100.0 > body[1]["factors"]["skills"]


def test_a_job_listing_many_skills_ignores_what_its_description_names():
    job = factories.JobFactory(
        skills_required=["Python", "Django", "Docker"],
        description="You will build services on PostgreSQL and Redis.",
    )
    assert job.skills_extracted == ["PostgreSQL", "Redis"]
    plain = make_seeker(["Python", "Django", "Docker"])
    named = make_seeker(["Python", "Django", "Docker", "PostgreSQL", "Redis"])
    recruiter = factories.RecruiterFactory(company=job.company)

    body = get_ok(client_for(recruiter), f"/api/ai/jobs/{job.pk}/candidates/")

    scores = {item["candidate_id"]: item["factors"]["skills"] for item in body}
    assert scores == {str(plain.pk): 100.0, str(named.pk): 100.0}
