"""Two real Celery workers share the nightly rebuild: the coordinator task cuts the seekers into chunks, the
workers take them, the last one closes the run, and the stored rows are those of the one-process rebuild."""

import pytest
from django.conf import settings

from matcher.models import Recommendation, RecommendationRebuild
from matcher.recommendations import recommendations_rebuild
from matcher.tasks import rebuild_recommendations
from tests.e2e.servers import CeleryWorker, server_env
from tests.matcher.test_rebuild_chunks import stored
from tests.matcher.test_recommendations import make_world
from tests.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_two_workers_share_the_nightly_rebuild_and_store_what_one_process_stores(tmp_path):
    people = make_world(seed=21, jobs=40, seekers=9)
    recommendations_rebuild()
    one_process = stored()
    assert len(one_process) == 9 * 40
    people[3].is_active = False  # leaves before tonight's run: their rows go
    people[3].save(update_fields=["is_active"])
    Recommendation.objects.exclude(seeker=people[3]).delete()

    env = {**server_env(settings.REDIS_URL), "KAZI_REBUILD_CHUNK_SEEKERS": "2"}
    workers = [CeleryWorker(env, tmp_path, name=f"worker-{i}", extra_args=("-n", f"rebuild-{i}@%h")) for i in (1, 2)]
    try:
        for worker in workers:
            worker.wait_ready()
        task_id = rebuild_recommendations.delay().id

        def finished():
            for worker in workers:
                assert worker.alive(), f"{worker.name} exited:\n{worker.log()}"
            return RecommendationRebuild.objects.filter(task_id=task_id, finished_at__isnull=False).first()

        try:
            run = wait_until(finished, 60, "the rebuild run to finish", interval=0.2)
        except AssertionError as failure:
            raise AssertionError("\n\n".join([str(failure), *(worker.log() for worker in workers)])) from None
    finally:
        for worker in workers:
            worker.stop()

    assert run.chunk_count == 4  # 8 active seekers, 2 a chunk
    assert (run.seekers, run.stored, run.removed) == (8, 8 * 40, 40)
    assert stored() == [row for row in one_process if row[0] != people[3].pk]
    chunk_tasks = sum(worker.log(chars=1 << 30).count("rebuild_recommendations_chunk[") for worker in workers)
    assert chunk_tasks >= 2 * 4  # each chunk received and finished on a worker (a log line each)
