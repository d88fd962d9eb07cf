"""Two bookings of one slot at the same moment: exactly one wins, whatever the timing.

Both threads pass the conflict read before either writes (a barrier holds them
there), so only the database's exclusion constraint can stop the second one.
"""

import threading

import pytest
from django.db import connection

from interviews.models import Interview, Participant
from interviews.services import scheduling
from marketplace.choices import ApplicationStatus
from marketplace.models import Application
from tests import factories
from tests.conftest import client_for
from tests.interviews.helpers import SCHEDULE_URL, at, schedule_body, shortlisted


def _race(monkeypatch, bookings) -> list[int]:
    """POST each (user, body) from its own thread, all past the conflict read together; the status codes."""
    barrier = threading.Barrier(len(bookings), timeout=10)
    read_conflicts = scheduling.selectors.conflicting_interview_ids

    def read_then_wait(**kwargs):
        found = read_conflicts(**kwargs)
        barrier.wait()
        return found

    monkeypatch.setattr(scheduling.selectors, "conflicting_interview_ids", read_then_wait)
    codes: list[int] = []
    errors: list[BaseException] = []

    def post(user, body):
        try:
            codes.append(client_for(user).post(SCHEDULE_URL, body, format="json").status_code)
        except BaseException as exc:  # surfaced below: a thread's exception would vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=booking) for booking in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return sorted(codes)


@pytest.mark.django_db(transaction=True)
def test_two_candidates_booked_with_one_interviewer_at_once_one_wins(monkeypatch):
    recruiter = factories.RecruiterFactory()
    job = factories.JobFactory(company=recruiter.company)
    first, second = shortlisted(job), shortlisted(job)

    codes = _race(
        monkeypatch,
        [(recruiter, schedule_body(first, at(9))), (recruiter, schedule_body(second, at(9, 30)))],
    )

    assert codes == [201, 409]
    assert Interview.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_companies_booking_one_candidate_at_once_one_wins(monkeypatch):
    candidate = factories.SeekerFactory()
    bookings = []
    for _ in range(2):
        recruiter = factories.RecruiterFactory()
        application = shortlisted(factories.JobFactory(company=recruiter.company), candidate)
        bookings.append((recruiter, schedule_body(application, at(9))))

    codes = _race(monkeypatch, bookings)

    assert codes == [201, 409]
    [winner] = Interview.objects.all()
    [loser] = Application.objects.exclude(pk=winner.application_id)
    assert loser.status == ApplicationStatus.SHORTLISTED  # the losing booking left nothing behind
    assert Participant.objects.filter(user=candidate, active=True).count() == 1
