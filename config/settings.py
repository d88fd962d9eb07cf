"""Kazi settings: one file, every value from the environment (see README)."""

import json
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config import beat
from config.env import email_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

_DEV_SECRET_KEY = "django-insecure-kazi-development-key-change-me"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off: the development key signs JWTs "
        "that anyone could forge. For development, set DJANGO_DEBUG=1 (make run does)."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_simplejwt",
    # Refresh tokens are recorded as issued and revoked by logout, logout-all, password reset and deletion.
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_celery_beat",
    "django_prometheus",
    "core",
    "accounts",
    "notifications",
    "marketplace",
    "matcher",
    "resumes",
    "chat",
    "interviews",
    "calls",
    "analytics",
    "privacy",
    "web",
    "demo",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.realtime",
            ],
        },
    },
]

# --- Services: PostgreSQL and Redis ----------------------------------------------
# Read, never started, here: the entry points (manage.py, config/asgi.py, config/wsgi.py, Celery's commands,
# the test session) export the URLs of the embedded servers when none is given (config/embedded.py).
DATABASE_URL = env_str("DATABASE_URL")
REDIS_URL = env_str("REDIS_URL")
_missing = [name for name, value in (("DATABASE_URL", DATABASE_URL), ("REDIS_URL", REDIS_URL)) if not value]
if _missing:
    raise ImproperlyConfigured(
        f"{' and '.join(_missing)} not set. manage.py, daphne config.asgi:application, celery -A config and pytest "
        "start the embedded PostgreSQL and Redis and set them; a process started another way must set them "
        "itself (`python -m config.embedded start` starts the embedded ones and prints their URLs)."
    )

# Under ASGI every request runs its database work in a thread of its own, so a connection kept per thread
# (CONN_MAX_AGE > 0) outlives its thread and piles up. Web processes (config/asgi.py sets 10 unless told
# otherwise) use a psycopg pool per process instead, which bounds and reuses them. Celery workers and
# manage.py keep one connection per thread for KAZI_DB_CONN_MAX_AGE seconds (their threads live on), and
# fail at once, naming the reason, when the database is unreachable.
KAZI_DB_POOL_SIZE = env_int("KAZI_DB_POOL_SIZE", 0, minimum=0)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=0 if KAZI_DB_POOL_SIZE else env_int("KAZI_DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=not KAZI_DB_POOL_SIZE,
    )
}
if KAZI_DB_POOL_SIZE:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": KAZI_DB_POOL_SIZE,
        # Waiting longer than this for a free connection is an error (a 500), not an endless hang.
        "timeout": env_int("KAZI_DB_POOL_TIMEOUT", 20, minimum=1),
    }
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must be a PostgreSQL URL (postgres://...)")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("KAZI_CACHE_PREFIX", "kazi"),
    }
}

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("KAZI_CELERY_EAGER", False)
CELERY_TASK_DEFAULT_QUEUE = env_str("KAZI_CELERY_QUEUE", "celery")
# A worker process reserves one task at a time: tasks here run for seconds to minutes (resume parsing, chunks of
# the nightly rebuild) and are acknowledged late, so a reserved task would wait behind the running one while
# another worker sits idle at the end of a rebuild.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task acked late whose worker died is handed out again after this many seconds: longer than any task runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("KAZI_CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1)}
# The periodic tasks live in django-celery-beat's tables only, created by analytics/migrations/0002 and
# changed in the admin. A CELERY_BEAT_SCHEDULE here would be written over those rows at every beat start.
CELERY_BEAT_SCHEDULE: dict = {}
# What `migrate` and `manage.py sync_beat` copy into those tables: config/beat.py, the one list of periodic tasks.
KAZI_BEAT_SCHEDULE = beat.SCHEDULE
# No result backend, so nothing for beat's default `celery.backend_cleanup` entry to clean.
CELERY_RESULT_EXPIRES = None

# --- Auth ----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# A password reset link works this long, and only once (Django's token includes the password hash).
PASSWORD_RESET_TIMEOUT = env_int("KAZI_PASSWORD_RESET_MINUTES", 60, minimum=1) * 60
# Off: a new account signs in at once. On: registration mails a link and login waits for it.
KAZI_REQUIRE_EMAIL_VERIFICATION = env_bool("KAZI_REQUIRE_EMAIL_VERIFICATION", False)
# A deleted account is deactivated at once and erased this many days later (a mistaken deletion can be undone
# by an admin until then).
KAZI_ACCOUNT_DELETION_GRACE_DAYS = env_int("KAZI_ACCOUNT_DELETION_GRACE_DAYS", 14, minimum=0)
# A data export can be downloaded this many days; then its file is removed.
KAZI_DATA_EXPORT_DAYS = env_int("KAZI_DATA_EXPORT_DAYS", 7, minimum=1)
# A company invitation can be accepted this many days.
KAZI_INVITATION_DAYS = env_int("KAZI_INVITATION_DAYS", 7, minimum=1)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.StandardPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "core.throttling.UserMinuteThrottle",
        "core.throttling.UserHourThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("KAZI_THROTTLE_ANON", "60/minute"),
        "user_minute": env_str("KAZI_THROTTLE_USER_MINUTE", "100/minute"),
        "user_hour": env_str("KAZI_THROTTLE_USER_HOUR", "1000/hour"),
        "auth": env_str("KAZI_THROTTLE_AUTH", "30/minute"),
        "chat": env_str("KAZI_THROTTLE_CHAT", "120/minute"),
        # A recording uploads a chunk every second or so for as long as the call lasts: its own budget.
        "recording_chunk": env_str("KAZI_THROTTLE_RECORDING_CHUNKS", "300/minute"),
        # Each request may mail someone: per client address, well below what would flood an inbox.
        "password_reset": env_str("KAZI_THROTTLE_PASSWORD_RESET", "5/hour"),
        "email": env_str("KAZI_THROTTLE_EMAIL", "3/hour"),
    },
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15, minimum=1)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 7, minimum=1)),
    "ALGORITHM": "HS256",
    "SIGNING_KEY": SECRET_KEY,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "UPDATE_LAST_LOGIN": True,
    # A refresh answers a new access token only; the refresh token stays the one recorded at login (logout
    # revokes it).
    "ROTATE_REFRESH_TOKENS": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Kazi API",
    "DESCRIPTION": "Real-time job matching: jobs, applications, recommendations, chat, interviews, notifications.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    # Swagger UI and ReDoc from this server's static files (drf-spectacular-sidecar): the docs open without internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several choice sets share a field name (`status` of jobs, applications, documents): name each one.
    "ENUM_NAME_OVERRIDES": {
        "JobStatusEnum": "marketplace.choices.JobStatus",
        "ApplicationStatusEnum": "marketplace.choices.ApplicationStatus",
        "DocumentStatusEnum": "marketplace.choices.DocumentStatus",
        "ExperienceLevelEnum": "marketplace.choices.ExperienceLevel",
        "EmploymentTypeEnum": "marketplace.choices.EmploymentType",
        "InterviewStatusEnum": "interviews.choices.InterviewStatus",
    },
}

# --- Files ---------------------------------------------------------------------
MEDIA_ROOT = Path(env_str("KAZI_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request otherwise
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
KAZI_UPLOAD_MAX_BYTES = env_int("KAZI_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# A bulk import: the size of one uploaded archive, and how many files one import takes in all.
KAZI_BULK_UPLOAD_MAX_BYTES = env_int("KAZI_BULK_UPLOAD_MAX_BYTES", 200 * 1024 * 1024, minimum=1024)
KAZI_BULK_IMPORT_MAX_FILES = env_int("KAZI_BULK_IMPORT_MAX_FILES", 500, minimum=1)
# Uploads above this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Security ------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG and SECURE_SSL_REDIRECT
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Structured JSON lines by default (what log shippers read); KAZI_LOG_FORMAT=plain for a terminal.
KAZI_LOG_FORMAT = env_str("KAZI_LOG_FORMAT", "plain" if DEBUG else "json")
if KAZI_LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured(f"KAZI_LOG_FORMAT must be json or plain, got {KAZI_LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": KAZI_LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env_str("KAZI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
        # aiosmtpd (the test SMTP server, the development catcher) logs every SMTP command at INFO.
        "mail.log": {"level": "WARNING"},
    },
}

# --- Mail ----------------------------------------------------------------------------------
# EMAIL_URL = smtp://user:pass@host:port (smtp+tls:// for STARTTLS, smtp+ssl:// for implicit TLS). Unset, a
# development process (DJANGO_DEBUG=1) sends to the local catcher that `make run` starts (`manage.py
# mailcatcher`, shown at /admin/core/caughtmail/); with DJANGO_DEBUG off that is an error, never a silent fallback.
KAZI_MAIL_CATCHER_PORT = env_int("KAZI_MAIL_CATCHER_PORT", 1025, minimum=1)
EMAIL_URL = env_str("EMAIL_URL")
KAZI_MAIL_CAUGHT_LOCALLY = not EMAIL_URL
if not EMAIL_URL and not DEBUG:
    raise ImproperlyConfigured(
        "EMAIL_URL must be set when DJANGO_DEBUG is off (smtp://user:pass@host:port, smtp+tls:// or smtp+ssl://): "
        "production mail never falls back to the development catcher."
    )
_email = email_url("EMAIL_URL", EMAIL_URL or f"smtp://127.0.0.1:{KAZI_MAIL_CATCHER_PORT}")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
# Seconds an SMTP connect or reply may take: a hung server fails the send task (retried), never blocks it.
EMAIL_TIMEOUT = env_int("KAZI_EMAIL_TIMEOUT", 30, minimum=1)
# Seconds after which a mail claimed by a worker that never finished (killed mid-send) is sent again. Above
# EMAIL_TIMEOUT with room to spare, so a slow but live send is never doubled (core/mail/sending.py).
KAZI_EMAIL_SENDING_TIMEOUT = env_int("KAZI_EMAIL_SENDING_TIMEOUT", 600, minimum=1)
# Days a sent (or failed) mail's row is kept for the admin; it holds the address and the words of the mail.
KAZI_EMAIL_KEEP_DAYS = env_int("KAZI_EMAIL_KEEP_DAYS", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kazi <no-reply@kazi.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A user with no open socket gets their unread notifications as one digest at most this often.
KAZI_EMAIL_DIGEST_MINUTES = env_int("KAZI_EMAIL_DIGEST_MINUTES", 15, minimum=1)
# Links in mail (unsubscribe, password reset, interview pages) are absolute: the address users reach the site at.
KAZI_SITE_URL = env_str("KAZI_SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not KAZI_SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"KAZI_SITE_URL must be the site's address (https://kazi.example.com) when DJANGO_DEBUG is off, "
        f"got {KAZI_SITE_URL!r}: links in mail are made from it."
    )

# --- Real time -------------------------------------------------------------------
KAZI_REALTIME_PREFIX = env_str("KAZI_REALTIME_PREFIX", "kazi.rt.")
KAZI_WS_MAX_FRAME_BYTES = env_int("KAZI_WS_MAX_FRAME_BYTES", 64 * 1024, minimum=1024)
KAZI_WS_MAX_FRAMES_PER_SECOND = env_int("KAZI_WS_MAX_FRAMES_PER_SECOND", 30, minimum=1)
KAZI_WS_SEND_QUEUE = env_int("KAZI_WS_SEND_QUEUE", 1000, minimum=10)
# Bytes written to one socket that its client has not taken yet (daphne's transport buffer): past it, 4008.
KAZI_WS_SEND_BUFFER_BYTES = env_int("KAZI_WS_SEND_BUFFER_BYTES", 1024 * 1024, minimum=64 * 1024)
# How long a socket closed as a slow consumer waits for its client to read up to the close frame.
KAZI_WS_SLOW_CLOSE_SECONDS = env_int("KAZI_WS_SLOW_CLOSE_SECONDS", 30, minimum=1)
KAZI_REPLAY_MAX_EVENTS = env_int("KAZI_REPLAY_MAX_EVENTS", 1000, minimum=10)
KAZI_NOTIFICATION_RETENTION_DAYS = env_int("KAZI_NOTIFICATION_RETENTION_DAYS", 90, minimum=1)
# Role broadcasts that are news for everyone rather than something that concerns the person (docs/
# websocket-protocol.md, "What counts as unread"): pushed and stored as the protocol says, but never unread and
# not in the bell; the jobs page shows them as its "N new jobs" marker.
KAZI_AMBIENT_EVENT_TYPES = ("job_posted",)
KAZI_CHAT_MAX_MESSAGE_LENGTH = env_int("KAZI_CHAT_MAX_MESSAGE_LENGTH", 5000, minimum=1)
KAZI_CHAT_MESSAGES_PER_MINUTE = env_int("KAZI_CHAT_MESSAGES_PER_MINUTE", 60, minimum=1)
KAZI_CHAT_ATTACHMENT_MAX_BYTES = env_int("KAZI_CHAT_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
KAZI_CHAT_EDIT_MINUTES = env_int("KAZI_CHAT_EDIT_MINUTES", 15, minimum=0)

# --- Operations --------------------------------------------------------------------------
# When set, GET /metrics wants `Authorization: Bearer <this>`; unset, restrict /metrics at the proxy.
KAZI_METRICS_TOKEN = env_str("KAZI_METRICS_TOKEN", "")
# Seconds that cached hot reads (job lists, trending, dashboards) may serve before recomputing.
KAZI_CACHE_SECONDS = env_int("KAZI_CACHE_SECONDS", 300, minimum=1)

# --- Matching --------------------------------------------------------------------------
KAZI_MATCH_THRESHOLD = env_int("KAZI_MATCH_THRESHOLD", 80, minimum=0)
# Seekers per task of the nightly rebuild. Small enough that two workers end within a chunk of each other
# (10,000 seekers make 10 chunks), large enough that a task's own costs (its queries, the queue) stay small.
KAZI_REBUILD_CHUNK_SEEKERS = env_int("KAZI_REBUILD_CHUNK_SEEKERS", 1000, minimum=1)


# --- Interviews --------------------------------------------------------------------------
def _reminder_minutes(name: str, default: str) -> tuple[int, ...]:
    raw = env_str(name, default)
    try:
        minutes = sorted({int(item) for item in raw.split(",") if item.strip()}, reverse=True)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a comma list of minutes, got {raw!r}") from None
    if any(value < 1 for value in minutes):
        raise ImproperlyConfigured(f"{name} must list positive minutes, got {raw!r}")
    return tuple(minutes)


def _ice_servers(name: str) -> list[dict]:
    raw = env_str(name, "[]")
    try:
        servers = json.loads(raw or "[]")
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a JSON list of RTCIceServer objects, got {raw!r}") from None
    if not isinstance(servers, list) or not all(isinstance(s, dict) and s.get("urls") for s in servers):
        raise ImproperlyConfigured(f'{name} must be a JSON list like [{{"urls": "stun:stun.example.com"}}]')
    return servers


KAZI_INTERVIEW_REMINDERS_MINUTES = _reminder_minutes("KAZI_INTERVIEW_REMINDERS_MINUTES", "1440,15")
KAZI_INTERVIEW_NO_SHOW_MINUTES = env_int("KAZI_INTERVIEW_NO_SHOW_MINUTES", 15, minimum=1)
# Calls from chat: how long one rings before it is a missed call, and how long one may run.
KAZI_CALL_RING_SECONDS = env_int("KAZI_CALL_RING_SECONDS", 45, minimum=5)
KAZI_CALL_MAX_MINUTES = env_int("KAZI_CALL_MAX_MINUTES", 120, minimum=1)
KAZI_INTERVIEW_ASSESSMENT_HOURS = env_int("KAZI_INTERVIEW_ASSESSMENT_HOURS", 72, minimum=0)
KAZI_ICE_SERVERS = _ice_servers("KAZI_ICE_SERVERS")
# Recordings of interview calls (interviews/services/recordings.py): how long they are kept, how large one
# uploaded chunk and one whole recording may be, and how long without a chunk before a recording whose tab
# was closed is assembled from what arrived.
KAZI_RECORDING_RETENTION_DAYS = env_int("KAZI_RECORDING_RETENTION_DAYS", 90, minimum=1)
KAZI_RECORDING_CHUNK_MAX_BYTES = env_int("KAZI_RECORDING_CHUNK_MAX_BYTES", 8 * 1024 * 1024, minimum=1024)
KAZI_RECORDING_MAX_BYTES = env_int("KAZI_RECORDING_MAX_BYTES", 2 * 1024 * 1024 * 1024, minimum=1024)
KAZI_RECORDING_ABANDON_MINUTES = env_int("KAZI_RECORDING_ABANDON_MINUTES", 3, minimum=1)
