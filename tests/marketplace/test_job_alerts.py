"""Saved searches alert their owner (`job_alert`) once per job when a matching job opens; paused ones do not;
a seeker alerted about a job gets no match_score_calculated for it, and the other way round.

Opening a job queues marketplace.tasks.alert_saved_searches after the commit; these tests run the task's
service where the worker would (the e2e browser test runs it in a real worker)."""

import pytest

from marketplace import services, tasks
from marketplace.models import Job, SavedSearch, SavedSearchAlert
from matcher import services as matcher_services
from notifications import groups, selectors
from notifications.models import Notification
from tests import factories
from tests.conftest import client_for
from tests.notifications.redis_listener import RedisListener, frame

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter():
    return factories.RecruiterFactory(company=factories.CompanyFactory(name="Tech Corp"))


def open_job(recruiter, **fields):
    defaults = dict(
        title="Django Engineer",
        description="Build Django services.",
        location="Nairobi, Kenya",
        skills_required=["Python", "Django"],
        status="open",
    )
    job = services.job_create(company=recruiter.company, posted_by=recruiter, **{**defaults, **fields})
    return worker_alerts(job)


def update_job(job, recruiter, data):
    services.job_update(job=job, actor=recruiter, data=data)
    return worker_alerts(job)


def worker_alerts(job):
    """What the worker does once the opening commits (marketplace.tasks.alert_saved_searches)."""
    services.saved_search_alerts_send(job_id=job.pk)
    return job


def save(seeker, name="Django", query="django", **fields):
    return services.saved_search_create(seeker=seeker, name=name, query=query, **fields)


def alerts(**lookups):
    return Notification.objects.filter(event_type="job_alert", **lookups)


def test_a_matching_job_alerts_the_owner_once_with_the_contract_fields(recruiter, seeker):
    search = save(seeker, filters={"skills": "python"})

    job = open_job(recruiter)

    event = alerts().get()
    assert (event.recipient_id, event.audience) == (seeker.pk, "")
    assert event.data == {"job_id": str(job.pk), "job_title": "Django Engineer", "saved_search_id": str(search.pk)}
    assert event.message == ""
    assert event.related_object == job
    assert SavedSearchAlert.objects.filter(saved_search=search, job=job).count() == 1


def test_a_job_that_does_not_match_alerts_no_one(recruiter, seeker):
    save(seeker, query="golang")
    save(seeker, name="Remote", query="", filters={"remote": "true"})

    open_job(recruiter)

    assert not alerts().exists()


def test_a_paused_search_alerts_nothing(recruiter, seeker):
    search = save(seeker)
    services.saved_search_update(saved_search=search, actor=seeker, data={"active": False})

    open_job(recruiter)

    assert not alerts().exists()
    assert not SavedSearchAlert.objects.exists()


def test_a_resumed_search_alerts_about_jobs_opened_after(recruiter, seeker):
    search = save(seeker, active=False)
    open_job(recruiter, title="Django Engineer I")
    services.saved_search_update(saved_search=search, actor=seeker, data={"active": True})

    job = open_job(recruiter, title="Django Engineer II")

    assert [e.data["job_id"] for e in alerts()] == [str(job.pk)]


def test_closing_and_reopening_a_job_alerts_once(recruiter, seeker):
    save(seeker)
    job = open_job(recruiter)

    update_job(job, recruiter, {"status": "closed"})
    update_job(job, recruiter, {"status": "open"})
    update_job(job, recruiter, {"title": "Senior Django Engineer"})
    worker_alerts(job)  # a retried task

    assert alerts().count() == 1


def test_a_draft_alerts_when_it_opens_and_is_matched_as_it_is_then(recruiter, seeker):
    save(seeker, query="senior")
    job = open_job(recruiter, status="draft")
    assert not alerts().exists()

    update_job(job, recruiter, {"status": "open", "title": "Senior Django Engineer"})

    assert alerts().get().data["job_title"] == "Senior Django Engineer"


def test_each_matching_search_alerts_its_own_owner(recruiter, seeker):
    other = factories.SeekerFactory()
    mine = save(seeker)
    theirs = save(other, filters={"location": "nairobi"})
    save(factories.SeekerFactory(), filters={"location": "lagos"})

    open_job(recruiter)

    assert {(e.recipient_id, e.data["saved_search_id"]) for e in alerts()} == {
        (seeker.pk, str(mine.pk)),
        (other.pk, str(theirs.pk)),
    }


def test_an_inactive_users_search_alerts_nothing(recruiter, seeker):
    save(seeker)
    seeker.is_active = False
    seeker.save(update_fields=["is_active"])

    open_job(recruiter)

    assert not alerts().exists()


def test_the_alert_is_pushed_after_commit_in_the_contract_shape(recruiter, seeker, django_capture_on_commit_callbacks):
    search = save(seeker)
    listener = RedisListener()
    try:
        listener.subscribe(groups.user_group(seeker.pk))
        with django_capture_on_commit_callbacks(execute=False) as opening:
            job = services.job_create(
                company=recruiter.company,
                posted_by=recruiter,
                title="Django Engineer",
                location="Nairobi, Kenya",
                skills_required=["Python", "Django"],
                status="open",
            )
        # Opening the job stores no alert in its own transaction: it queues the task for after the commit.
        assert not alerts().exists() and opening
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.alert_saved_searches.apply(args=[job.pk]).get() == 1
        received = listener.received()
    finally:
        listener.close()

    assert len(received) == 1
    group, envelope = received[0]
    assert group == groups.user_group(seeker.pk)
    pushed = frame(envelope)
    stored = alerts().get()
    assert set(pushed) == {"type", "id", "job_id", "job_title", "saved_search_id", "timestamp"}
    assert pushed["type"] == "job_alert" and pushed["id"] == stored.pk == envelope["id"]
    assert (pushed["job_id"], pushed["job_title"], pushed["saved_search_id"]) == (
        str(job.pk),
        "Django Engineer",
        str(search.pk),
    )
    assert pushed["timestamp"].endswith("Z")
    assert envelope["t"] == "job_alert"


def test_the_alert_is_in_the_notification_center_and_replayed(recruiter, seeker):
    save(seeker)
    job = open_job(recruiter)

    listed = client_for(seeker).get("/api/notifications/").data["results"]
    assert [item["type"] for item in listed if item["type"] == "job_alert"] == ["job_alert"]
    [replayed] = [e for e in selectors.replay_after(seeker, 0) if "job_alert" in e.kinds]
    assert frame({"id": replayed.id, "t": "job_alert", "n": "", "f": replayed.frame_text})["job_id"] == str(job.pk)
    assert selectors.unread_count(seeker) == 1  # the alert; the job_posted broadcast is news, not unread


def test_a_seeker_may_subscribe_to_job_alert():
    assert "job_alert" in selectors.KNOWN_TYPES


# --- with match_score_calculated ---------------------------------------------------------------
def test_an_alerted_seeker_gets_no_match_score_for_the_same_job(recruiter, settings):
    settings.KAZI_MATCH_THRESHOLD = 0
    alerted = factories.SeekerFactory()
    other = factories.SeekerFactory()
    save(alerted)

    job = open_job(recruiter)
    announced = matcher_services.job_matches_announce(job_id=job.pk)

    assert announced == 1
    assert list(alerts().values_list("recipient_id", flat=True)) == [alerted.pk]
    scored = Notification.objects.filter(event_type="match_score_calculated")
    assert list(scored.values_list("recipient_id", flat=True)) == [other.pk]
    found = Notification.objects.get(notification_type="match_found", recipient=recruiter)
    assert [c["candidate_id"] for c in found.data["candidates"]] == [str(other.pk)]


def test_a_paused_search_leaves_the_match_score(recruiter, settings):
    settings.KAZI_MATCH_THRESHOLD = 0
    seeker = factories.SeekerFactory()
    save(seeker, active=False)

    job = open_job(recruiter)
    matcher_services.job_matches_announce(job_id=job.pk)

    assert not alerts().exists()
    assert Notification.objects.filter(event_type="match_score_calculated", recipient=seeker).count() == 1


def test_a_search_saved_over_the_api_alerts(recruiter, seeker):
    response = client_for(seeker).post(
        "/api/saved-searches/", {"name": "Nairobi", "filters": {"location": "Nairobi"}}, format="json"
    )
    assert response.status_code == 201
    opened = client_for(recruiter).post(
        "/api/jobs/", {"title": "Ops", "location": "Nairobi", "status": "open"}, format="json"
    )
    assert opened.status_code == 201
    worker_alerts(Job.objects.get(pk=opened.data["id"]))

    assert alerts().get().data["saved_search_id"] == str(response.data["id"])
    assert SavedSearch.objects.get().alerts.count() == 1


def test_many_searches_are_matched_in_few_queries(recruiter, django_assert_max_num_queries):
    from marketplace import services as marketplace_services

    seekers = [factories.SeekerFactory() for _ in range(3)]
    wanted = set()
    for i in range(250):
        owner = seekers[i % 3]
        if i % 5 == 0:
            wanted.add(save(owner, name=f"s{i}", query="django", filters={"location": "nairobi"}).pk)
        elif i % 5 == 1:
            save(owner, name=f"s{i}", query="golang")
        elif i % 5 == 2:
            save(owner, name=f"s{i}", query="", filters={"remote": "true"})
        elif i % 5 == 3:
            wanted.add(save(owner, name=f"s{i}", query='"django engineer"', filters={"skills": "python"}).pk)
        else:
            save(owner, name=f"s{i}", query="", filters={"status": "closed"})
    job = factories.JobFactory(company=recruiter.company, title="Django Engineer", skills_required=["Python"])

    with django_assert_max_num_queries(10):
        found = marketplace_services.saved_search_alerts_record(job=job)

    assert {s.pk for s in found} == wanted
    assert marketplace_services.saved_search_alerts_record(job=job) == []


def test_a_seeker_announced_first_is_not_alerted_again(recruiter, settings):
    # The two tasks of one opening run in either order; the job's row lock and each one's check of the other
    # give the seeker one event about the job either way.
    settings.KAZI_MATCH_THRESHOLD = 0
    seeker = factories.SeekerFactory()
    search = save(seeker)
    job = services.job_create(
        company=recruiter.company,
        posted_by=recruiter,
        title="Django Engineer",
        skills_required=["Python"],
        status="open",
    )

    assert matcher_services.job_matches_announce(job_id=job.pk) == 1
    assert services.saved_search_alerts_send(job_id=job.pk) == 0

    assert not alerts().exists()
    assert Notification.objects.filter(event_type="match_score_calculated", recipient=seeker).count() == 1
    # The search has seen the job: reopening it alerts nothing later.
    assert SavedSearchAlert.objects.filter(saved_search=search, job=job).exists()


def test_a_job_closed_before_the_worker_runs_alerts_no_one(recruiter, seeker):
    save(seeker)
    job = services.job_create(company=recruiter.company, posted_by=recruiter, title="Django Engineer", status="open")
    services.job_update(job=job, actor=recruiter, data={"status": "closed"})

    assert services.saved_search_alerts_send(job_id=job.pk) == 0
    assert services.saved_search_alerts_send(job_id=0) == 0
    assert not alerts().exists()
