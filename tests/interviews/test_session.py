"""Joining and leaving the room, and the session's status: scheduled → in_progress → completed / no_show."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from analytics.models import Event
from interviews import services
from interviews.choices import InterviewStatus
from interviews.models import Attendance, ConnectionQualityReport
from tests import factories
from tests.conftest import client_for
from tests.interviews.helpers import at, book, shortlisted, soon, url

pytestmark = pytest.mark.django_db


def test_joining_in_the_window_returns_the_ice_servers_and_the_signaling_url(
    settings, hiring_manager, candidate, application
):
    settings.KAZI_ICE_SERVERS = [{"urls": "turn:turn.example.com:3478", "username": "kazi", "credential": "s3cret"}]
    interview = book(application, by=hiring_manager, start=soon(10), now=None)

    response = client_for(candidate).post(url(interview, "join/"))

    assert response.status_code == 200, response.data
    assert response.data["ice_servers"] == settings.KAZI_ICE_SERVERS
    assert response.data["signaling_url"] == f"/ws/interviews/{interview.pk}/"
    assert response.data["present"] == [candidate.pk]
    assert response.data["interview"]["status"] == "in_progress"
    assert response.data["interview"]["started_at"] is not None


def test_joining_too_early_is_a_400_saying_when_the_room_opens(hiring_manager, candidate, application):
    interview = book(application, by=hiring_manager, start=soon(60), now=None)

    response = client_for(candidate).post(url(interview, "join/"))

    assert response.status_code == 400
    assert "opens 15 minutes before the start" in response.data["detail"]
    assert response.data["status"] == "scheduled"
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.SCHEDULED


def test_joining_after_the_end_is_a_400(hiring_manager, candidate, application):
    interview = book(application, by=hiring_manager, start=at(9))

    with pytest.raises(ValidationError, match="ended at 2031-01-06 10:00 UTC"):
        services.interview_join(interview=interview, user=candidate, now=at(10))


def test_only_participants_join(hiring_manager, colleague, rival, application):
    interview = book(application, by=hiring_manager, start=soon(5), now=None)

    # A colleague sees the company's interview but is not on its panel.
    assert client_for(colleague).post(url(interview, "join/")).status_code == 403
    assert client_for(rival).post(url(interview, "join/")).status_code == 404
    assert client_for(factories.SeekerFactory()).post(url(interview, "leave/")).status_code == 404


def test_everyone_leaving_mid_slot_does_not_end_it_and_the_recruiter_ending_it_completes_it(
    hiring_manager, candidate, application
):
    interview = book(application, by=hiring_manager, start=at(9))

    services.interview_join(interview=interview, user=hiring_manager, now=at(8, 50))
    services.interview_join(interview=interview, user=candidate, now=at(9, 1))
    services.interview_join(interview=interview, user=candidate, now=at(9, 2))  # a second join is harmless
    services.interview_leave(interview=interview, user=candidate, now=at(9, 40))
    services.interview_leave(interview=interview, user=hiring_manager, now=at(9, 41))
    interview.refresh_from_db()
    # A dropped network or a short break: the room stays open to come back to.
    assert interview.status == InterviewStatus.IN_PROGRESS
    services.interview_join(interview=interview, user=candidate, now=at(9, 42))
    services.interview_join(interview=interview, user=hiring_manager, now=at(9, 43))

    services.interview_end(interview=interview, actor=hiring_manager, now=at(9, 45))

    interview.refresh_from_db()
    assert interview.status == InterviewStatus.COMPLETED
    assert (interview.started_at, interview.ended_at) == (at(8, 50), at(9, 45))
    stays = list(Attendance.objects.filter(interview=interview).values_list("user_id", "joined_at", "left_at"))
    assert stays == [
        (hiring_manager.pk, at(8, 50), at(9, 41)),
        (candidate.pk, at(9, 1), at(9, 40)),
        (candidate.pk, at(9, 42), at(9, 45)),
        (hiring_manager.pk, at(9, 43), at(9, 45)),
    ]
    [event] = Event.objects.filter(event_type="interview_completed")
    assert event.job_id == interview.job_id
    assert event.metadata["interview_id"] == interview.pk
    assert event.metadata["minutes_held"] == 55.0
    with pytest.raises(ValidationError, match="completed"):
        services.interview_join(interview=interview, user=candidate, now=at(9, 46))


def test_only_the_jobs_recruiters_end_an_interview_and_only_one_in_progress(
    hiring_manager, colleague, rival, candidate, application
):
    interview = book(application, by=hiring_manager, start=soon(5), now=None)
    end = url(interview, "end/")

    response = client_for(hiring_manager).post(end)
    assert response.status_code == 400
    assert response.data["detail"] == "This interview has not started: cancel it instead."
    client_for(candidate).post(url(interview, "join/"))
    assert client_for(candidate).post(end).status_code == 403
    assert client_for(rival).post(end).status_code == 404
    assert client_for(factories.SeekerFactory()).post(end).status_code == 404

    # Any recruiter of the job's company, on the panel or not.
    response = client_for(colleague).post(end)
    assert response.status_code == 200, response.data
    assert response.data["status"] == InterviewStatus.COMPLETED
    again = client_for(hiring_manager).post(end)
    assert (again.status_code, again.data["detail"]) == (400, "This interview is completed already.")
    refused = client_for(candidate).post(url(interview, "join/"))
    assert refused.status_code == 400


def test_a_lone_early_visitor_leaving_does_not_end_the_interview(hiring_manager, candidate, application):
    interview = book(application, by=hiring_manager, start=at(9))

    services.interview_join(interview=interview, user=candidate, now=at(8, 46))
    services.interview_leave(interview=interview, user=candidate, now=at(8, 50))

    interview.refresh_from_db()
    assert interview.status == InterviewStatus.IN_PROGRESS
    services.interview_join(interview=interview, user=candidate, now=at(8, 58))  # may come back


def test_nobody_joining_within_the_grace_period_is_a_no_show(settings, hiring_manager, application, candidate):
    settings.KAZI_INTERVIEW_NO_SHOW_MINUTES = 15
    interview = book(application, by=hiring_manager, start=at(9))

    assert services.interviews_close_stale(now=at(9, 14)) == {"no_show": 0, "completed": 0}
    assert services.interviews_close_stale(now=at(9, 15)) == {"no_show": 1, "completed": 0}

    interview.refresh_from_db()
    assert interview.status == InterviewStatus.NO_SHOW
    # Its time is free again, and nobody can join any more.
    assert book(shortlisted(application.job), by=hiring_manager, start=at(9, 30)).pk
    with pytest.raises(ValidationError, match="no show"):
        services.interview_join(interview=interview, user=candidate, now=at(9, 20))


def test_the_periodic_close_completes_a_session_that_ran_to_its_end(hiring_manager, candidate, application):
    interview = book(application, by=hiring_manager, start=at(9))
    services.interview_join(interview=interview, user=hiring_manager, now=at(9))
    services.interview_join(interview=interview, user=candidate, now=at(9, 2))

    assert services.interviews_close_stale(now=at(9, 59)) == {"no_show": 0, "completed": 0}
    # Still talking at the end: running over is allowed for a while.
    assert services.interviews_close_stale(now=at(10, 30)) == {"no_show": 0, "completed": 0}
    assert services.interviews_close_stale(now=at(11)) == {"no_show": 0, "completed": 1}

    interview.refresh_from_db()
    assert interview.status == InterviewStatus.COMPLETED
    assert not Attendance.objects.filter(interview=interview, left_at__isnull=True).exists()
    assert Event.objects.filter(event_type="interview_completed").count() == 1


def test_a_session_the_candidate_never_came_to_ends_as_no_show(hiring_manager, application):
    interview = book(application, by=hiring_manager, start=at(9))
    services.interview_join(interview=interview, user=hiring_manager, now=at(9))
    services.interview_leave(interview=interview, user=hiring_manager, now=at(9, 30))

    assert services.interviews_close_stale(now=at(10)) == {"no_show": 1, "completed": 0}
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.NO_SHOW
    assert not Event.objects.filter(event_type="interview_completed").exists()


def test_connection_quality_reports_are_stored_per_participant(hiring_manager, candidate, application):
    interview = book(application, by=hiring_manager, start=at(9))

    report = services.connection_quality_record(
        interview=interview,
        user=candidate,
        stats={"round_trip_ms": 320, "packet_loss_percent": 1.0, "jitter_ms": 12, "codec": "VP8"},
        now=at(9, 5),
    )

    assert report.quality == "fair"
    assert report.raw == {"codec": "VP8"}
    assert ConnectionQualityReport.objects.filter(interview=interview, user=candidate).count() == 1
    with pytest.raises(ValidationError, match="non-negative number"):
        services.connection_quality_record(interview=interview, user=candidate, stats={"round_trip_ms": "fast"})
    with pytest.raises(PermissionDenied, match="candidate and interviewers"):
        services.connection_quality_record(interview=interview, user=factories.SeekerFactory(), stats={})


def test_the_no_show_task_runs_the_service(hiring_manager, application, monkeypatch):
    from django.utils import timezone

    from interviews.tasks import close_stale_interviews

    interview = book(application, by=hiring_manager, start=at(9))
    monkeypatch.setattr(timezone, "now", lambda: at(9) + timedelta(minutes=20))

    assert close_stale_interviews.apply().get() == {"no_show": 1, "completed": 0, "calls": 0}
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.NO_SHOW
