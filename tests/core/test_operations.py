"""What operators and clients notice of the plumbing: limits, compression, cache, metrics, logs."""

import gzip
import json
import logging

import pytest
from django.conf import settings

from core import caching
from core.request_id import RequestIdFilter
from core.throttling import UserHourThrottle, UserMinuteThrottle
from tests import factories


def test_the_default_limits_are_100_a_minute_and_1000_an_hour_per_user():
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert (rates["user_minute"], rates["user_hour"]) == ("100/minute", "1000/hour")


@pytest.mark.parametrize("throttle", [UserMinuteThrottle, UserHourThrottle])
def test_a_user_over_the_limit_gets_429_with_retry_after(throttle, monkeypatch, seeker_client, recruiter_client):
    monkeypatch.setattr(throttle, "rate", "3/minute" if throttle is UserMinuteThrottle else "3/hour", raising=False)
    answers = [seeker_client.get("/api/notifications/unread-count/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = seeker_client.get("/api/notifications/unread-count/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= (60 if throttle is UserMinuteThrottle else 3600)
    assert "throttled" in refused.json()["detail"].lower()
    # Per user: someone else is not held back.
    assert recruiter_client.get("/api/notifications/unread-count/").status_code == 200


def test_large_json_answers_are_gzipped_for_clients_that_ask(api_client, db):
    factories.JobFactory.create_batch(20, status="open")
    plain = api_client.get("/api/jobs/")
    zipped = api_client.get("/api/jobs/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
    assert len(zipped.content) < len(plain.content) / 2


def test_the_job_list_is_served_from_cache_until_a_job_changes(api_client, db, django_assert_num_queries):
    job = factories.JobFactory(status="open", title="Data Engineer")
    assert api_client.get("/api/jobs/").json()["results"][0]["title"] == "Data Engineer"
    with django_assert_num_queries(0):
        assert api_client.get("/api/jobs/").json()["results"][0]["title"] == "Data Engineer"

    job.title = "Senior Data Engineer"
    job.save()

    assert api_client.get("/api/jobs/").json()["results"][0]["title"] == "Senior Data Engineer"


def test_a_recruiter_never_gets_another_audience_cached_list(db, recruiter, recruiter_client, api_client):
    factories.JobFactory(company=recruiter.company, status="draft", title="Our draft")
    assert api_client.get("/api/jobs/").json()["count"] == 0
    assert [j["title"] for j in recruiter_client.get("/api/jobs/").json()["results"]] == ["Our draft"]
    assert api_client.get("/api/jobs/").json()["count"] == 0


def test_trending_is_cached_and_refreshed_when_jobs_change(api_client, db):
    job = factories.JobFactory(status="open", category="tech")
    factories.ApplicationFactory(job=job)
    first = api_client.get("/api/ai/trending/?category=tech").json()
    assert [item["job"]["id"] for item in first] == [job.pk]
    job.status = "closed"
    job.save()
    assert api_client.get("/api/ai/trending/?category=tech").json() == []


def metrics_text(client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    return response.content.decode()


def sample(text: str, name: str, **labels) -> float | None:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))  # exposition sorts labels
    for line in text.splitlines():
        if line.startswith(f"{name}{{{wanted}}} " if wanted else f"{name} "):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_metrics_report_requests_sockets_events_and_the_cache_hit_ratio(client, db):
    caching.cached("probe", "k", lambda: 1, timeout=60)  # a miss
    caching.cached("probe", "k", lambda: 1, timeout=60)  # a hit
    caching.cached("probe", "k", lambda: 1, timeout=60)  # a hit
    text = metrics_text(client)
    assert "django_http_requests_total_by_method_total" in text
    assert sample(text, "kazi_websocket_open_connections") is not None
    assert "kazi_events_published_total" in text and "kazi_events_delivered_total" in text
    assert "kazi_events_replayed_total" in text
    ratio = sample(text, "kazi_cache_hit_ratio", namespace="probe")
    hits = sample(text, "kazi_cache_requests_total", namespace="probe", result="hit")
    misses = sample(text, "kazi_cache_requests_total", namespace="probe", result="miss")
    assert ratio == pytest.approx(hits / (hits + misses)) and hits >= 2 and misses >= 1


def test_celery_task_outcomes_from_any_worker_are_in_the_metrics(client, db):
    from core.metrics import celery_task_outcome

    before = sample(metrics_text(client), "kazi_celery_tasks_total", task="probe.task", outcome="failure") or 0
    celery_task_outcome("probe.task", "failure")
    assert sample(metrics_text(client), "kazi_celery_tasks_total", task="probe.task", outcome="failure") == before + 1


def test_metrics_can_require_a_token(client, settings):
    settings.KAZI_METRICS_TOKEN = "s3cret"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret").status_code == 200


def test_every_response_carries_a_request_id_and_keeps_a_sane_one_from_the_proxy(client, db):
    made = client.get("/health/")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/health/", HTTP_X_REQUEST_ID="edge-42.a")["X-Request-ID"] == "edge-42.a"
    assert client.get("/health/", HTTP_X_REQUEST_ID="bad id\nInjected: 1")["X-Request-ID"] != "bad id\nInjected: 1"


def test_json_log_lines_carry_the_request_id(client, db, caplog):
    from pythonjsonlogger.json import JsonFormatter

    config = dict(settings.LOGGING["formatters"]["json"])
    del config["()"]
    config["fmt"] = config.pop("format")  # as logging.config passes it
    formatter = JsonFormatter(**config)
    lines = []

    class Capture(logging.Handler):
        def emit(self, record):
            lines.append(formatter.format(record))

    handler = Capture()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/api/no-such-thing/", HTTP_X_REQUEST_ID="trace-7")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    record = json.loads(lines[-1])
    assert record["request_id"] == "trace-7"
    assert record["level"] == "WARNING" and record["logger"] == "django.request"
    assert "time" in record and "pid" in record
