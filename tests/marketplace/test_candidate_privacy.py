"""Profile `visibility`: who finds a job seeker in candidate list, search, by id, share and best candidates;
an application always shows its applicant to the company applied to."""

import pytest

from marketplace.models import JobSeekerProfile
from matcher.services import job_matches_announce
from notifications.models import Notification
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

WORD = "Zanzibarist"  # in every seeker's headline, so a search finds each one its viewer may see


@pytest.fixture
def world():
    """Company A's job and recruiter, and a seeker of every kind as A's recruiters would judge them."""
    company = factories.CompanyFactory()
    job = factories.JobFactory(company=company)
    elsewhere = factories.JobFactory()
    seekers = {}
    for name, visibility, applied_to in [
        ("public", "public", None),
        ("public_applicant", "public", job),
        ("applied_here", "applied", job),
        ("applied_elsewhere", "applied", elsewhere),
        ("applied_nowhere", "applied", None),
        ("hidden_applicant", "hidden", job),
        ("hidden", "hidden", None),
    ]:
        user = factories.SeekerFactory()
        profile = user.profile
        profile.visibility, profile.headline = visibility, f"{WORD} {name}"
        profile.save()
        if applied_to is not None:
            factories.ApplicationFactory(job=applied_to, candidate=user)
        seekers[name] = user
    return {
        "job": job,
        "seekers": seekers,
        "recruiter": factories.RecruiterFactory(company=company),
        "loner": factories.RecruiterFactory(company=None),
        "admin": factories.AdminFactory(),
    }


SEES = {
    "recruiter": {"public", "public_applicant", "applied_here"},
    "loner": {"public", "public_applicant"},
    "admin": {
        "public",
        "public_applicant",
        "applied_here",
        "applied_elsewhere",
        "applied_nowhere",
        "hidden_applicant",
        "hidden",
    },
}


def names_of(world, user_ids) -> set[str]:
    by_id = {user.pk: name for name, user in world["seekers"].items()}
    return {by_id[int(user_id)] for user_id in user_ids}


@pytest.mark.parametrize("viewer", SEES)
def test_list(world, viewer):
    response = client_for(world[viewer]).get("/api/candidates/", {"page_size": 50})
    assert response.status_code == 200
    assert names_of(world, [item["user"]["id"] for item in response.data["results"]]) == SEES[viewer]
    assert response.data["count"] == len(SEES[viewer])


@pytest.mark.parametrize("viewer", SEES)
def test_search(world, viewer):
    response = client_for(world[viewer]).get("/api/candidates/", {"search": WORD, "page_size": 50})
    assert response.status_code == 200
    assert names_of(world, [item["user"]["id"] for item in response.data["results"]]) == SEES[viewer]


@pytest.mark.parametrize("viewer", SEES)
def test_search_by_the_hidden_seekers_own_words_finds_nothing(world, viewer):
    response = client_for(world[viewer]).get("/api/candidates/", {"search": "hidden"})
    expected = {"hidden", "hidden_applicant"} & SEES[viewer]
    assert names_of(world, [item["user"]["id"] for item in response.data["results"]]) == expected


@pytest.mark.parametrize("viewer", SEES)
@pytest.mark.parametrize("seeker", sorted(SEES["admin"]))
def test_detail_by_id(world, viewer, seeker):
    response = client_for(world[viewer]).get(f"/api/candidates/{world['seekers'][seeker].pk}/")
    # Not visible is not found: a 403 would tell that the seeker exists.
    assert response.status_code == (200 if seeker in SEES[viewer] else 404)


@pytest.mark.parametrize("viewer", SEES)
@pytest.mark.parametrize("seeker", sorted(SEES["admin"]))
def test_share(world, viewer, seeker):
    colleague = factories.AdminFactory()  # sees every seeker: only what the sharer may see decides here
    response = client_for(world[viewer]).post(
        f"/api/candidates/{world['seekers'][seeker].pk}/share/", {"recipient_id": colleague.pk}, format="json"
    )
    assert response.status_code == (201 if seeker in SEES[viewer] else 404)


def test_best_candidates_are_those_the_jobs_company_may_find(world):
    response = client_for(world["recruiter"]).get(f"/api/ai/jobs/{world['job'].pk}/candidates/", {"limit": 50})
    assert response.status_code == 200
    assert names_of(world, [item["candidate_id"] for item in response.data]) == SEES["recruiter"]


def test_best_candidates_for_an_admin_follow_the_jobs_company(world):
    # The ranking describes what the job's recruiters could act on, whoever asks for it.
    response = client_for(world["admin"]).get(f"/api/ai/jobs/{world['job'].pk}/candidates/", {"limit": 50})
    assert response.status_code == 200
    assert names_of(world, [item["candidate_id"] for item in response.data]) == SEES["recruiter"]


def test_applications_show_every_applicant_whatever_the_setting(world):
    client = client_for(world["recruiter"])
    response = client.get("/api/applications/", {"page_size": 50})
    assert response.status_code == 200
    assert names_of(world, [item["candidate"] for item in response.data["results"]]) == {
        "public_applicant",
        "applied_here",
        "hidden_applicant",
    }
    hidden = world["seekers"]["hidden_applicant"]
    application = hidden.applications.get()
    detail = client.get(f"/api/applications/{application.pk}/")
    assert detail.status_code == 200
    assert detail.data["candidate"] == hidden.pk
    assert detail.data["candidate_name"] == hidden.full_name


def test_an_inactive_public_seeker_stays_out():
    seeker = factories.SeekerFactory(is_active=False)
    response = client_for(factories.RecruiterFactory()).get(f"/api/candidates/{seeker.pk}/")
    assert response.status_code == 404


# --- the seeker's setting --------------------------------------------------------------------------------
def test_the_default_is_public_and_shown_on_the_profile(seeker_client, seeker):
    response = seeker_client.get("/api/profile/")
    assert response.status_code == 200
    assert response.data["visibility"] == "public"


@pytest.mark.parametrize("visibility", ["applied", "hidden", "public"])
def test_the_seeker_changes_it(seeker_client, seeker, visibility):
    response = seeker_client.patch("/api/profile/", {"visibility": visibility}, format="json")
    assert response.status_code == 200, response.content
    assert response.data["visibility"] == visibility
    assert JobSeekerProfile.objects.get(user=seeker).visibility == visibility


@pytest.mark.parametrize("value", ["secret", "", None, 3, ["hidden"]])
def test_an_unknown_visibility_is_400(seeker_client, seeker, value):
    response = seeker_client.patch("/api/profile/", {"visibility": value}, format="json")
    assert response.status_code == 400
    assert "visibility" in response.data
    assert JobSeekerProfile.objects.get(user=seeker).visibility == "public"


def test_hiding_takes_effect_at_once(seeker_client, seeker):
    recruiter = client_for(factories.RecruiterFactory())
    assert recruiter.get(f"/api/candidates/{seeker.pk}/").status_code == 200
    seeker_client.patch("/api/profile/", {"visibility": "hidden"}, format="json")
    assert recruiter.get(f"/api/candidates/{seeker.pk}/").status_code == 404
    assert recruiter.get("/api/candidates/").data["count"] == 0


def test_recruiters_may_not_change_it(seeker):
    response = client_for(factories.RecruiterFactory()).patch(
        f"/api/candidates/{seeker.pk}/", {"visibility": "public"}, format="json"
    )
    assert response.status_code == 405


def test_a_new_jobs_matches_reach_every_seeker_but_the_recruiters_hear_only_of_those_they_may_find(world, settings):
    settings.KAZI_MATCH_THRESHOLD = 0
    assert job_matches_announce(job_id=world["job"].pk) == len(SEES["admin"])

    told = Notification.objects.filter(event_type="match_score_calculated").values_list("recipient_id", flat=True)
    assert names_of(world, told) == SEES["admin"]  # a hidden seeker still hears of jobs for them
    summary = Notification.objects.get(recipient=world["recruiter"], notification_type="match_found")
    assert names_of(world, [c["candidate_id"] for c in summary.data["candidates"]]) == SEES["recruiter"]
    assert summary.data["matches"] == len(SEES["recruiter"])
    for name in SEES["admin"] - SEES["recruiter"]:
        assert world["seekers"][name].full_name not in summary.message


def test_no_findable_match_still_marks_the_job_announced(settings):
    settings.KAZI_MATCH_THRESHOLD = 0
    recruiter = factories.RecruiterFactory()
    job = factories.JobFactory(company=recruiter.company)
    hidden = factories.SeekerFactory()
    hidden.profile.visibility = "hidden"
    hidden.profile.save()

    assert job_matches_announce(job_id=job.pk) == 1
    summary = Notification.objects.get(recipient=recruiter, notification_type="match_found")
    assert summary.data["matches"] == 0 and summary.data["candidates"] == []
    assert hidden.full_name not in summary.message
    assert job_matches_announce(job_id=job.pk) == 0


@pytest.mark.parametrize(
    ("seeker", "to", "status"),
    [
        ("public", "stranger", 201),
        ("public", "loner", 201),
        ("applied_here", "colleague", 201),
        ("applied_here", "stranger", 400),
        ("applied_here", "loner", 400),
        ("applied_here", "admin", 201),
    ],
)
def test_a_share_reaches_only_recruiters_who_may_find_the_seeker(world, seeker, to, status):
    recipient = {
        "stranger": factories.RecruiterFactory(),
        "colleague": factories.RecruiterFactory(company=world["recruiter"].company),
        "loner": world["loner"],
        "admin": world["admin"],
    }[to]
    response = client_for(world["recruiter"]).post(
        f"/api/candidates/{world['seekers'][seeker].pk}/share/", {"recipient_id": recipient.pk}, format="json"
    )
    assert response.status_code == status, response.content
    if status == 400:
        assert "recipient_id" in response.data
        assert not Notification.objects.filter(recipient=recipient).exists()
