"""Moving a selection of applications in one request: each walks forward stage by stage as moving it by hand
would, the ones that cannot go there are named with the reason, and nobody moves another company's."""

import pytest

from marketplace.models import Application, ApplicationStatusChange
from notifications.models import Notification
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/api/applications/bulk-status/"


@pytest.fixture
def job(recruiter):
    return factories.JobFactory(company=recruiter.company, title="Platform Engineer")


def statuses(*applications):
    return [Application.objects.get(pk=a.pk).status for a in applications]


def test_a_selection_moves_to_shortlisted_through_every_stage(
    recruiter_client, job, django_capture_on_commit_callbacks
):
    pending = factories.ApplicationFactory(job=job)
    reviewing = factories.ApplicationFactory(job=job, status="reviewing")

    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(
            URL, {"application_ids": [pending.pk, reviewing.pk], "status": "shortlisted"}, format="json"
        )

    assert response.status_code == 200, response.content
    assert sorted(a["id"] for a in response.data["moved"]) == sorted([pending.pk, reviewing.pk])
    assert response.data["skipped"] == []
    assert statuses(pending, reviewing) == ["shortlisted", "shortlisted"]
    trail = list(ApplicationStatusChange.objects.filter(application=pending).values_list("old_status", "new_status"))
    assert trail == [("pending", "reviewing"), ("reviewing", "shortlisted")]
    # The candidates hear of it as they would of single moves.
    assert (
        Notification.objects.filter(recipient=pending.candidate, event_type="application_status_changed").count() == 2
    )


def test_closed_unknown_and_foreign_applications_are_skipped_with_a_reason(recruiter_client, job):
    movable = factories.ApplicationFactory(job=job)
    closed = factories.ApplicationFactory(job=job, status="withdrawn")
    foreign = factories.ApplicationFactory(job=factories.JobFactory())

    response = recruiter_client.post(
        URL, {"application_ids": [movable.pk, closed.pk, foreign.pk, 999999], "status": "reviewing"}, format="json"
    )

    assert response.status_code == 200
    assert [a["id"] for a in response.data["moved"]] == [movable.pk]
    reasons = {row["id"]: row["reason"] for row in response.data["skipped"]}
    assert "can no longer change status" in reasons[closed.pk]
    assert reasons[foreign.pk] == reasons[999999] == "No such application among yours."
    assert statuses(movable, closed, foreign) == ["reviewing", "withdrawn", "pending"]


def test_a_move_backwards_is_skipped_with_the_allowed_moves(recruiter_client, job):
    ahead = factories.ApplicationFactory(job=job, status="interview")

    response = recruiter_client.post(URL, {"application_ids": [ahead.pk], "status": "reviewing"}, format="json")

    assert response.data["moved"] == []
    assert "Allowed: offered, rejected" in response.data["skipped"][0]["reason"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"application_ids": [], "status": "reviewing"}, "application_ids"),
        ({"application_ids": list(range(1, 202)), "status": "reviewing"}, "application_ids"),
        ({"application_ids": [1], "status": "hired"}, "status"),
        ({"status": "reviewing"}, "application_ids"),
    ],
)
def test_bad_requests_say_which_field(recruiter_client, body, field):
    response = recruiter_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_seeker_cannot_bulk_move(job):
    own = factories.ApplicationFactory(job=job)

    response = client_for(own.candidate).post(URL, {"application_ids": [own.pk], "status": "withdrawn"}, format="json")

    assert response.status_code == 403
    assert statuses(own) == ["pending"]
