"""The hourly rollup: raw events of one hour → per-job, per-user and platform rows, in SQL.

Each hour is rolled up in one transaction by upserts keyed by (job, hour), (user, hour), (hour, event_type),
and rows of the hour whose key no longer has events are removed, so rolling up the same hour again gives
identical rows. The watermark says how far the rollup has got; each run starts one hour before it, since an
event committed just after its hour ended (its transaction was still open) is then still counted.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from accounts.models import User
from analytics.models import (
    Event,
    EventHourlyCount,
    EventSource,
    EventType,
    JobHourlyStats,
    JobViewer,
    RollupWatermark,
    UserHourlyStats,
)
from core.caching import invalidate
from core.sql import sql_tables
from marketplace.models import Job, JobSeekerProfile

HOUR = timedelta(hours=1)
SESSION_GAP = timedelta(minutes=30)
LATE_MARGIN = HOUR
WATERMARK = "hourly"
_LOCK_NAMESPACE = 0x4B415A49  # "KAZI": two runs of the same hour take turns instead of racing

_TABLES = {
    "event": Event,
    "event_counts": EventHourlyCount,
    "job": Job,
    "job_stats": JobHourlyStats,
    "job_viewer": JobViewer,
    "profile": JobSeekerProfile,
    "user": User,
    "user_stats": UserHourlyStats,
    "watermark": RollupWatermark,
}


def _sql(template: str) -> str:
    return sql_tables(template, **_TABLES)


_PARAMS = {
    "view": EventType.JOB_VIEW.value,
    "apply": EventType.JOB_APPLY.value,
    "bookmark": EventType.JOB_BOOKMARK.value,
    "search": EventType.JOB_SEARCH.value,
    "service": EventSource.SERVICE.value,
}

JOB_STATS_SQL = _sql("""
WITH hour_events AS (
    SELECT job_id, user_id, event_type, source FROM $event
    WHERE created_at >= %(start)s AND created_at < %(end)s AND job_id IS NOT NULL
), viewers AS (
    SELECT DISTINCT e.job_id, e.user_id,
           COALESCE(NULLIF(p.experience_level, ''), 'unknown') AS level,
           COALESCE(NULLIF(BTRIM(p.location), ''), 'unknown') AS location
    FROM hour_events e LEFT JOIN $profile p ON p.user_id = e.user_id
    WHERE e.event_type = %(view)s AND e.user_id IS NOT NULL
), levels AS (
    SELECT job_id, jsonb_object_agg(level, n) AS counts
    FROM (SELECT job_id, level, COUNT(*) AS n FROM viewers GROUP BY job_id, level) x GROUP BY job_id
), locations AS (
    SELECT job_id, jsonb_object_agg(location, n) AS counts
    FROM (SELECT job_id, location, COUNT(*) AS n FROM viewers GROUP BY job_id, location) x GROUP BY job_id
), totals AS (
    SELECT job_id,
           COUNT(*) FILTER (WHERE event_type = %(view)s) AS views,
           COUNT(DISTINCT user_id) FILTER (WHERE event_type = %(view)s) AS unique_viewers,
           COUNT(*) FILTER (WHERE event_type = %(apply)s AND source = %(service)s) AS applications,
           COUNT(*) FILTER (WHERE event_type = %(bookmark)s AND source = %(service)s) AS bookmarks
    FROM hour_events GROUP BY job_id
)
INSERT INTO $job_stats
    (job_id, hour, views, unique_viewers, applications, bookmarks, viewer_levels, viewer_locations)
SELECT t.job_id, %(start)s, t.views, t.unique_viewers, t.applications, t.bookmarks,
       COALESCE(l.counts, '{}'::jsonb), COALESCE(c.counts, '{}'::jsonb)
FROM totals t
JOIN $job j ON j.id = t.job_id
LEFT JOIN levels l ON l.job_id = t.job_id
LEFT JOIN locations c ON c.job_id = t.job_id
ON CONFLICT (job_id, hour) DO UPDATE SET
    views = EXCLUDED.views, unique_viewers = EXCLUDED.unique_viewers, applications = EXCLUDED.applications,
    bookmarks = EXCLUDED.bookmarks, viewer_levels = EXCLUDED.viewer_levels,
    viewer_locations = EXCLUDED.viewer_locations
""")

JOB_STATS_STALE_SQL = _sql("""
DELETE FROM $job_stats s WHERE s.hour = %(start)s AND NOT EXISTS (
    SELECT 1 FROM $event e
    WHERE e.job_id = s.job_id AND e.created_at >= %(start)s AND e.created_at < %(end)s
)
""")

JOB_VIEWERS_SQL = _sql("""
INSERT INTO $job_viewer (job_id, user_id, first_viewed_at)
SELECT e.job_id, e.user_id, MIN(e.created_at) FROM $event e
JOIN $job j ON j.id = e.job_id
JOIN $user u ON u.id = e.user_id
WHERE e.created_at >= %(start)s AND e.created_at < %(end)s AND e.event_type = %(view)s
GROUP BY e.job_id, e.user_id
ON CONFLICT (job_id, user_id) DO UPDATE
    SET first_viewed_at = LEAST($job_viewer.first_viewed_at, EXCLUDED.first_viewed_at)
""")

# Sessions look back SESSION_GAP before the hour: a user's first event of the hour starts a session only if
# nothing of theirs happened in the 30 minutes before it.
USER_STATS_SQL = _sql("""
WITH hour_events AS (
    SELECT user_id, job_id, event_type, metadata FROM $event
    WHERE created_at >= %(start)s AND created_at < %(end)s AND user_id IS NOT NULL
), session_starts AS (
    SELECT user_id, COUNT(*) AS n FROM (
        SELECT user_id, created_at,
               LAG(created_at) OVER (PARTITION BY user_id ORDER BY created_at, id) AS previous
        FROM $event
        WHERE created_at >= %(session_start)s AND created_at < %(end)s AND user_id IS NOT NULL
    ) x
    WHERE created_at >= %(start)s AND (previous IS NULL OR created_at - previous > %(gap)s)
    GROUP BY user_id
), terms AS (
    SELECT user_id, jsonb_object_agg(term, n) AS counts FROM (
        SELECT user_id, metadata->>'query' AS term, COUNT(*) AS n FROM hour_events
        WHERE event_type = %(search)s AND COALESCE(metadata->>'query', '') <> ''
        GROUP BY user_id, term
    ) x GROUP BY user_id
), job_types AS (
    SELECT user_id, jsonb_object_agg(employment_type, n) AS counts FROM (
        SELECT e.user_id, j.employment_type, COUNT(*) AS n
        FROM hour_events e JOIN $job j ON j.id = e.job_id
        WHERE e.event_type IN (%(view)s, %(apply)s, %(bookmark)s)
        GROUP BY e.user_id, j.employment_type
    ) x GROUP BY user_id
), totals AS (
    SELECT user_id, COUNT(*) AS events,
           COUNT(*) FILTER (WHERE event_type = %(view)s) AS job_views,
           COUNT(DISTINCT job_id) FILTER (WHERE event_type = %(view)s) AS jobs_viewed,
           COUNT(DISTINCT job_id) FILTER (WHERE event_type = %(apply)s) AS jobs_applied,
           COUNT(*) FILTER (WHERE event_type = %(search)s) AS searches
    FROM hour_events GROUP BY user_id
)
INSERT INTO $user_stats
    (user_id, hour, events, sessions, job_views, jobs_viewed, jobs_applied, searches, search_terms, job_types)
SELECT t.user_id, %(start)s, t.events, COALESCE(s.n, 0), t.job_views, t.jobs_viewed, t.jobs_applied,
       t.searches, COALESCE(terms.counts, '{}'::jsonb), COALESCE(jt.counts, '{}'::jsonb)
FROM totals t
JOIN $user u ON u.id = t.user_id
LEFT JOIN session_starts s ON s.user_id = t.user_id
LEFT JOIN terms ON terms.user_id = t.user_id
LEFT JOIN job_types jt ON jt.user_id = t.user_id
ON CONFLICT (user_id, hour) DO UPDATE SET
    events = EXCLUDED.events, sessions = EXCLUDED.sessions, job_views = EXCLUDED.job_views,
    jobs_viewed = EXCLUDED.jobs_viewed, jobs_applied = EXCLUDED.jobs_applied, searches = EXCLUDED.searches,
    search_terms = EXCLUDED.search_terms, job_types = EXCLUDED.job_types
""")

USER_STATS_STALE_SQL = _sql("""
DELETE FROM $user_stats s WHERE s.hour = %(start)s AND NOT EXISTS (
    SELECT 1 FROM $event e
    WHERE e.user_id = s.user_id AND e.created_at >= %(start)s AND e.created_at < %(end)s
)
""")

EVENT_COUNTS_SQL = _sql("""
INSERT INTO $event_counts (hour, event_type, events, users)
SELECT %(start)s, event_type, COUNT(*), COUNT(DISTINCT user_id) FROM $event
WHERE created_at >= %(start)s AND created_at < %(end)s
GROUP BY event_type
ON CONFLICT (hour, event_type) DO UPDATE SET events = EXCLUDED.events, users = EXCLUDED.users
""")

EVENT_COUNTS_STALE_SQL = _sql("""
DELETE FROM $event_counts c WHERE c.hour = %(start)s AND NOT EXISTS (
    SELECT 1 FROM $event e
    WHERE e.event_type = c.event_type AND e.created_at >= %(start)s AND e.created_at < %(end)s
)
""")

WATERMARK_SQL = _sql("""
INSERT INTO $watermark (name, computed_through, updated_at) VALUES (%(name)s, %(end)s, NOW())
ON CONFLICT (name) DO UPDATE SET
    computed_through = GREATEST($watermark.computed_through, EXCLUDED.computed_through),
    updated_at = NOW()
""")


def floor_hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def hours_between(start: datetime, end: datetime) -> Iterator[datetime]:
    """Every hour from the one holding `start` up to (not including) the one holding `end`."""
    hour, end = floor_hour(start), floor_hour(end)
    while hour < end:
        yield hour
        hour += HOUR


@transaction.atomic
def rollup_hour(hour: datetime) -> None:
    """Roll up the events of [hour, hour + 1 h): idempotent, and safe to run alongside another run."""
    start = floor_hour(hour)
    params = {
        **_PARAMS,
        "start": start,
        "end": start + HOUR,
        "session_start": start - SESSION_GAP,
        "gap": SESSION_GAP,
        "name": WATERMARK,
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, int(start.timestamp()) // 3600])
        for sql in (
            JOB_STATS_SQL,
            JOB_STATS_STALE_SQL,
            JOB_VIEWERS_SQL,
            USER_STATS_SQL,
            USER_STATS_STALE_SQL,
            EVENT_COUNTS_SQL,
            EVENT_COUNTS_STALE_SQL,
            WATERMARK_SQL,
        ):
            cursor.execute(sql, params)


def watermark() -> datetime | None:
    return RollupWatermark.objects.filter(name=WATERMARK).values_list("computed_through", flat=True).first()


@dataclass(frozen=True)
class PendingHours:
    start: datetime
    end: datetime

    def __iter__(self) -> Iterator[datetime]:
        return hours_between(self.start, self.end)

    def __len__(self) -> int:
        return max(0, int((self.end - self.start) / HOUR))


def pending_hours(*, now: datetime | None = None, since: datetime | None = None) -> PendingHours:
    """The complete hours a run should roll up: from `since`, else from one hour before the watermark, else
    from the first event's hour; up to the hour holding `now`."""
    end = floor_hour(now or timezone.now())
    if since is None:
        done = watermark()
        if done is not None:
            since = done - LATE_MARGIN
        else:
            since = Event.objects.aggregate(first=Min("created_at"))["first"] or end
    start = floor_hour(since)
    return PendingHours(start=min(start, end), end=end)


def rollup_pending(*, now: datetime | None = None, since: datetime | None = None) -> int:
    """Roll up every pending hour, one transaction each; returns how many hours were rolled up."""
    hours = pending_hours(now=now, since=since)
    for hour in hours:
        rollup_hour(hour)
    if hours:
        invalidate("trending")  # trending counts the rolled-up views
    return len(hours)
