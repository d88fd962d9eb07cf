"""The nightly rebuild in chunks of seekers that Celery workers share: the same stored rows as the one-shot
rebuild, safe to run twice, and rows of seekers who left are removed."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from config.celery import app as celery_app
from marketplace.services import profile_update
from matcher.models import Recommendation, RecommendationRebuild
from matcher.recommendations import recommendations_rebuild, recommendations_rebuild_start
from matcher.tasks import rebuild_recommendations, rebuild_recommendations_chunk
from tests.matcher.test_recommendations import make_world

pytestmark = pytest.mark.django_db


def stored() -> list[tuple]:
    """What a seeker sees: their jobs in order, each with its score and factors (not when it was computed)."""
    return list(
        Recommendation.objects.order_by("seeker_id", "rank").values_list(
            "seeker_id", "job_id", "rank", "score", "factors"
        )
    )


def run_chunks(run: RecommendationRebuild, order=None) -> None:
    chunks = list(run.chunks.order_by("index"))
    for chunk in order(chunks) if order else chunks:
        rebuild_recommendations_chunk.apply(args=[chunk.pk]).get()


@pytest.fixture
def eager_celery():
    """Tasks queued by a task run inline, as KAZI_CELERY_EAGER=1 makes them. Set on the app, then the override
    taken away again: setting it back to False would pin it for the rest of the session and hide the Django
    setting that other tests change (CELERY_TASK_ALWAYS_EAGER)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.changes.pop("task_always_eager", None)


def test_chunked_rebuild_stores_exactly_what_the_one_shot_rebuild_stores():
    people = make_world(seed=11, jobs=70, seekers=11)
    recommendations_rebuild(top_n=10)
    one_shot = stored()
    assert len(one_shot) == 110
    Recommendation.objects.all().delete()

    run = recommendations_rebuild_start(chunk_seekers=3, top_n=10)
    assert run.chunk_count == 4  # 3 + 3 + 3 + 2 seekers
    run_chunks(run, order=reversed)  # the order workers take them in does not matter

    assert stored() == one_shot
    run.refresh_from_db()
    assert run.finished_at is not None
    assert (run.seekers, run.jobs, run.stored, run.pairs_scored) == (11, 70, 110, 11 * 70)
    assert [chunk.seekers for chunk in run.chunks.order_by("index")] == [3, 3, 3, 2]
    assert {seeker.pk for seeker in people} == {row[0] for row in stored()}


def test_running_a_chunk_twice_changes_nothing():
    make_world(seed=12, jobs=30, seekers=5)
    run = recommendations_rebuild_start(chunk_seekers=2, top_n=5)
    first = run.chunks.get(index=0)
    rebuild_recommendations_chunk.apply(args=[first.pk]).get()
    rows = list(Recommendation.objects.order_by("pk").values_list("pk", "seeker_id", "job_id", "score", "computed_at"))
    assert len(rows) == 10

    assert rebuild_recommendations_chunk.apply(args=[first.pk]).get() is None  # a redelivered message
    assert (
        list(Recommendation.objects.order_by("pk").values_list("pk", "seeker_id", "job_id", "score", "computed_at"))
        == rows
    )
    first.refresh_from_db()
    assert first.attempts == 1

    run_chunks(run)  # the other chunks, then every chunk once more
    run_chunks(run)
    run.refresh_from_db()
    assert (run.seekers, run.stored) == (5, 25)  # each chunk counted once


def test_a_skill_added_during_the_run_counts_in_a_later_chunk():
    people = make_world(seed=17, jobs=40, seekers=6)
    run = recommendations_rebuild_start(chunk_seekers=3, top_n=10)
    run_chunks(run, order=lambda chunks: chunks[:1])  # a worker has built the run's job side
    late = people[-1]
    # No one listed it when the run began; it partly matches the jobs asking for AWS.
    profile_update(profile=late.profile, data={"skills": [{"name": "AWS Lambda"}, {"name": "Docker"}]})

    run_chunks(run)

    seen_by_chunk = stored()
    recommendations_rebuild(seeker_ids=[late.pk], top_n=10)
    assert stored() == seen_by_chunk
    assert any(row[4]["skills"] > 0 for row in seen_by_chunk if row[0] == late.pk)


def test_seekers_who_became_inactive_lose_their_stored_rows():
    people = make_world(seed=13, jobs=30, seekers=7)
    recommendations_rebuild(top_n=5)
    leaving = [people[0], people[-1]]  # in the first chunk and in the last, open-ended one
    for person in leaving:
        person.is_active = False
        person.save(update_fields=["is_active"])

    run = recommendations_rebuild_start(chunk_seekers=3, top_n=5)
    run_chunks(run)

    run.refresh_from_db()
    assert not Recommendation.objects.filter(seeker__in=leaving).exists()
    assert run.removed == 10 and run.seekers == 5
    assert Recommendation.objects.count() == 25


def test_the_one_shot_rebuild_of_everyone_removes_them_too():
    people = make_world(seed=14, jobs=20, seekers=3)
    recommendations_rebuild(top_n=5)
    people[1].is_active = False
    people[1].save(update_fields=["is_active"])

    stats = recommendations_rebuild(top_n=5)

    assert stats.removed == 5
    assert set(Recommendation.objects.values_list("seeker_id", flat=True)) == {people[0].pk, people[2].pk}


@override_settings(KAZI_REBUILD_CHUNK_SEEKERS=4)
def test_the_nightly_task_queues_one_chunk_per_four_seekers_and_a_redelivery_starts_nothing_new(eager_celery):
    make_world(seed=15, jobs=25, seekers=10)

    result = rebuild_recommendations.apply(task_id="nightly-1").get()

    run = RecommendationRebuild.objects.get()
    assert result == {"rebuild": run.pk, "chunks": 3}
    assert [chunk.attempts for chunk in run.chunks.order_by("index")] == [1, 1, 1]  # each queued and run once
    assert run.finished_at is not None and run.seekers == 10
    assert Recommendation.objects.count() == 10 * 25  # fewer open jobs than the top 50: all of them

    assert rebuild_recommendations.apply(task_id="nightly-1").get() == result
    assert RecommendationRebuild.objects.count() == 1
    assert [chunk.attempts for chunk in run.chunks.order_by("index")] == [1, 1, 1]


def test_the_command_runs_the_chunked_rebuild_and_reports_it(eager_celery):
    make_world(seed=16, jobs=12, seekers=5)
    out = StringIO()

    call_command("rebuild_recommendations", "--celery", "--chunk-seekers", "2", verbosity=0, stdout=out)

    assert "3 chunk(s) queued" in out.getvalue()
    assert "Rebuilt 60 recommendations for 5 seeker(s) against 12 open jobs" in out.getvalue()
    assert Recommendation.objects.count() == 60
    with pytest.raises(CommandError):
        call_command("rebuild_recommendations", "--celery", "--user", "someone@example.com", verbosity=0)
