"""Every periodic task of Kazi: the one list. `manage.py migrate` (core/migrations/0001) and
`manage.py sync_beat` copy it into django-celery-beat's tables, where beat reads it and the admin
changes it (Periodic tasks). A row the admin edited is kept as it is; settings hold no CELERY_BEAT_SCHEDULE
(a dict there would be written over those rows at every beat start).

Each entry has `expire_seconds`: a run that could not start within that time is dropped rather than piling
up behind the next one.
"""

from typing import NamedTuple


class Periodic(NamedTuple):
    task: str
    minute: str
    hour: str
    expire_seconds: int
    description: str
    day_of_week: str = "*"


SCHEDULE: dict[str, Periodic] = {
    "requeue-stuck-mail": Periodic(
        "core.mail.tasks.requeue_stuck_mail",
        "*",
        "*",
        50,
        "Hands mail whose send task was lost, or whose worker died mid-send, to a send task again; every minute.",
    ),
    "email-digests": Periodic(
        "notifications.tasks.send_email_digests",
        "*",
        "*",
        50,
        "Mails offline users their unread notifications as one digest, at most every KAZI_EMAIL_DIGEST_MINUTES.",
    ),
    "interview-reminders": Periodic(
        "interviews.tasks.send_interview_reminders",
        "*/5",
        "*",
        4 * 60,
        "Reminds both sides of interviews starting soon; every 5 minutes.",
    ),
    "close-stale-interviews": Periodic(
        "interviews.tasks.close_stale_interviews",
        "*/5",
        "*",
        4 * 60,
        "Marks interviews nobody joined as no-show and ended ones as completed; every 5 minutes.",
    ),
    "sweep-recordings": Periodic(
        "interviews.tasks.sweep_recordings",
        "*",
        "*",
        50,
        "Assembles the file of recordings whose recorder went away (no chunk for KAZI_RECORDING_ABANDON_MINUTES); "
        "every minute.",
    ),
    "delete-expired-recordings-daily": Periodic(
        "interviews.tasks.delete_expired_recordings",
        "20",
        "3",
        6 * 3600,
        "Deletes interview recordings (and their files) older than KAZI_RECORDING_RETENTION_DAYS.",
    ),
    "analytics-rollup-hourly": Periodic(
        "analytics.tasks.rollup_analytics",
        "0",
        "*",
        55 * 60,
        "Rolls up the analytics events of the hours since the last rollup; on the hour.",
    ),
    "learn-match-weights-nightly": Periodic(
        "matcher.tasks.learn_match_weights",
        "30",
        "1",
        6 * 3600,
        "Fits the match factor weights on recent recommendation feedback; kept only if they predict better.",
    ),
    "rebuild-recommendations-nightly": Periodic(
        "matcher.tasks.rebuild_recommendations",
        "0",
        "2",
        6 * 3600,
        "Rebuilds every seeker's stored top-50 recommendations at 02:00 UTC, in chunks the workers share.",
    ),
    "weekly-recruiter-reports": Periodic(
        "analytics.tasks.send_weekly_reports",
        "0",
        "7",
        6 * 3600,
        "Mails each company's recruiters last week's report (applications, stage moves, jobs, forecast); Mondays.",
        day_of_week="1",
    ),
    "prune-notifications-daily": Periodic(
        "notifications.tasks.prune_old_notifications",
        "30",
        "3",
        6 * 3600,
        "Drops the event log's day partitions older than KAZI_NOTIFICATION_RETENTION_DAYS (and deletes expired "
        "notifications).",
    ),
    "event-log-partitions-hourly": Periodic(
        "notifications.tasks.ensure_event_log_partitions",
        "5",
        "*",
        50 * 60,
        "Creates the event log's partitions of today and the next 7 days that are missing; hourly, so that a beat "
        "that was down catches up within the hour (until then new events go to the default partition).",
    ),
    "prune-sent-mail-daily": Periodic(
        "core.mail.tasks.prune_sent_mail",
        "50",
        "3",
        6 * 3600,
        "Deletes sent and failed outgoing mail older than KAZI_EMAIL_KEEP_DAYS.",
    ),
    "clear-expired-sessions-daily": Periodic(
        "core.tasks.clear_expired_sessions",
        "45",
        "3",
        6 * 3600,
        "Deletes expired Django sessions (kept in PostgreSQL).",
    ),
    "erase-deleted-accounts-hourly": Periodic(
        "privacy.tasks.erase_deleted_accounts",
        "15",
        "*",
        55 * 60,
        "Erases the accounts deleted more than KAZI_ACCOUNT_DELETION_GRACE_DAYS ago; every hour.",
    ),
    "prune-data-exports-daily": Periodic(
        "privacy.tasks.prune_data_exports",
        "50",
        "3",
        6 * 3600,
        "Removes the files of data exports older than KAZI_DATA_EXPORT_DAYS.",
    ),
    "flush-expired-tokens-daily": Periodic(
        "accounts.tasks.flush_expired_tokens",
        "55",
        "3",
        6 * 3600,
        "Deletes the records of expired refresh tokens (the blacklist's outstanding and blacklisted tokens).",
    ),
}
