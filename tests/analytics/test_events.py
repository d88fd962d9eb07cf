"""POST /api/analytics/events/ and the events the services record themselves."""

import pytest

from analytics.models import Event, EventSource, EventType
from analytics.services import event_record
from marketplace import services
from matcher.services import feedback_record
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/api/analytics/events/"
JOB_TYPES = ["job_view", "job_apply", "job_bookmark", "recommendation_feedback"]


@pytest.mark.parametrize("event_type", [choice.value for choice in EventType])
def test_every_event_type_can_be_posted(seeker, seeker_client, event_type):
    job = factories.JobFactory()
    body = {"event_type": event_type, "metadata": {"screen": "list"}}
    if event_type in JOB_TYPES or event_type == "interview_completed":
        body["job_id"] = job.pk
    response = seeker_client.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    event = Event.objects.get(pk=response.json()["id"])
    assert (event.event_type, event.user_id, event.source) == (event_type, seeker.pk, EventSource.CLIENT)
    assert event.job_id == body.get("job_id")
    assert event.metadata == {"screen": "list"}
    assert response.json()["job_id"] == (str(job.pk) if "job_id" in body else None)


@pytest.mark.parametrize("event_type", [choice.value for choice in EventType])
def test_every_event_type_can_be_recorded_by_a_service(seeker, event_type):
    job = factories.JobFactory()
    event = event_record(event_type=event_type, user=seeker, job_id=job.pk, metadata={"n": 1})
    stored = Event.objects.get(pk=event.pk)
    assert (stored.event_type, stored.user_id, stored.job_id, stored.source) == (
        event_type,
        seeker.pk,
        job.pk,
        EventSource.SERVICE,
    )


def test_a_search_query_is_stored_in_the_form_it_is_counted(seeker_client):
    response = seeker_client.post(
        URL, {"event_type": "job_search", "metadata": {"query": "  Senior   PYTHON dev "}}, format="json"
    )
    assert response.status_code == 201
    assert Event.objects.get().metadata == {"query": "senior python dev"}


def test_bad_input_is_a_400_naming_the_problem(seeker_client, recruiter):
    response = seeker_client.post(URL, {"event_type": "job_like", "job_id": 1}, format="json")
    assert response.status_code == 400 and "job_like" in response.json()["event_type"][0]

    response = seeker_client.post(URL, {"event_type": "job_view", "job_id": 999_999}, format="json")
    assert response.status_code == 400 and response.json() == {"job_id": ["No job with id 999999."]}

    draft = factories.JobFactory(company=recruiter.company, status="draft")  # not visible to a seeker
    response = seeker_client.post(URL, {"event_type": "job_view", "job_id": draft.pk}, format="json")
    assert response.status_code == 400 and "job_id" in response.json()

    response = seeker_client.post(URL, {"event_type": "job_view"}, format="json")
    assert response.status_code == 400 and "needs the job_id" in response.json()["job_id"][0]

    response = seeker_client.post(URL, {"event_type": "job_view", "job_id": "abc"}, format="json")
    assert response.status_code == 400 and "job_id" in response.json()

    response = seeker_client.post(URL, {"event_type": "job_search", "metadata": [1, 2]}, format="json")
    assert response.status_code == 400 and "metadata" in response.json()

    response = seeker_client.post(URL, {"event_type": "job_search", "metadata": {"query": 5}}, format="json")
    assert response.status_code == 400 and "query" in response.json()["metadata"][0]

    response = seeker_client.post(URL, {"event_type": "job_search", "metadata": {"x": "y" * 5000}}, format="json")
    assert response.status_code == 400 and "bytes" in response.json()["metadata"][0]
    assert not Event.objects.exists()


def nested(depth: int) -> dict:
    value: object = "leaf"
    for _ in range(depth - 1):
        value = [value]
    return {"a": value}


@pytest.mark.parametrize(
    "metadata",
    [{"x": "a\x00b"}, {"a\x00b": 1}, {"query": "a\x00b"}, {"x": [{"y": "a\x00b"}]}, nested(33), nested(880)],
    ids=["nul-value", "nul-key", "nul-query", "nul-inside", "33-deep", "880-deep"],
)
def test_metadata_jsonb_cannot_store_is_a_400(seeker_client, metadata):
    # jsonb takes no NUL, and the JSON encoder before it recursed past Python's limit: both were a 500.
    response = seeker_client.post(URL, {"event_type": "job_search", "metadata": metadata}, format="json")

    assert response.status_code == 400, response.content
    assert "metadata" in response.json()
    assert not Event.objects.exists()


def test_metadata_nested_32_deep_is_stored(seeker_client):
    response = seeker_client.post(URL, {"event_type": "job_search", "metadata": nested(32)}, format="json")

    assert response.status_code == 201, response.content
    assert Event.objects.get().metadata == nested(32)


def test_posting_needs_a_login(api_client):
    job = factories.JobFactory()
    assert api_client.post(URL, {"event_type": "job_view", "job_id": job.pk}, format="json").status_code == 401
    assert not Event.objects.exists()


def test_posting_an_event_is_one_insert_after_authentication(seeker_client, django_assert_num_queries):
    job = factories.JobFactory()
    # the JWT's user, the job's visibility, the INSERT
    with django_assert_num_queries(3):
        response = seeker_client.post(URL, {"event_type": "job_view", "job_id": job.pk}, format="json")
    assert response.status_code == 201


def test_applying_through_the_api_records_job_apply(seeker, seeker_client):
    job = factories.JobFactory()
    response = seeker_client.post(f"/api/jobs/{job.pk}/apply/", {"cover_letter": "Hi"}, format="json")
    assert response.status_code == 201
    event = Event.objects.get(event_type="job_apply")
    assert (event.user_id, event.job_id, event.source) == (seeker.pk, job.pk, EventSource.SERVICE)
    assert event.metadata == {"application_id": response.json()["id"]}


def test_bookmarking_records_job_bookmark_once(seeker, seeker_client):
    job = factories.JobFactory()
    assert seeker_client.post(f"/api/jobs/{job.pk}/bookmark/").status_code == 201
    assert seeker_client.post(f"/api/jobs/{job.pk}/bookmark/").status_code == 200  # already bookmarked
    events = list(Event.objects.filter(event_type="job_bookmark").values_list("user_id", "job_id", "source"))
    assert events == [(seeker.pk, job.pk, EventSource.SERVICE)]


def test_a_failed_application_records_nothing(seeker):
    job = factories.JobFactory(status="closed")
    with pytest.raises(Exception):  # noqa: B017 - the service's own error; the point is what stays stored
        services.application_create(job=job, candidate=seeker)
    assert not Event.objects.exists()


def test_recommendation_feedback_records_an_event(seeker):
    job = factories.JobFactory()
    feedback_record(seeker=seeker, job=job, feedback="relevant")
    event = Event.objects.get(event_type="recommendation_feedback")
    assert (event.user_id, event.job_id, event.metadata) == (seeker.pk, job.pk, {"feedback": "relevant"})
    client_for(seeker).post("/api/ai/feedback/", {"job_id": job.pk, "feedback": "dismissed"}, format="json")
    assert Event.objects.filter(event_type="recommendation_feedback").count() == 2


def test_a_service_cannot_record_an_unknown_type_or_a_job_event_without_its_job(seeker):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Unknown event type"):
        event_record(event_type="job_like", user=seeker)
    with pytest.raises(ValidationError, match="needs the job_id"):
        event_record(event_type="job_view", user=seeker)
