"""Django settings. Everything that differs between machines comes from the environment."""

import datetime
import ipaddress
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from trienkhai.core import dburl
from trienkhai.core.secrets import data_dir, load_secret_key

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

DEBUG = os.environ.get("TRIENKHAI_DEBUG", "") == "1"
SECRET_KEY = load_secret_key(DATA_DIR)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("TRIENKHAI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("TRIENKHAI_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "trienkhai.core",
    "trienkhai.units",
    "trienkhai.accounts",
    "trienkhai.documents",
    "trienkhai.ingest",
    "trienkhai.tracking",
    "trienkhai.notify",
    "trienkhai.inspections",
    "trienkhai.conferences",
    "trienkhai.practices",
    "trienkhai.evaluations",
    "trienkhai.indicators",
    "trienkhai.reports",
    "trienkhai.home",
    "trienkhai.ops",
    "trienkhai.webhooks",
]

MIDDLEWARE = [
    # Request latency per view for Prometheus (ops/metrics.py): first in, last out.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "trienkhai.core.timing.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "trienkhai.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "trienkhai.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "trienkhai.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "trienkhai.core.middleware.RequestContextMiddleware",
    "trienkhai.core.replica.WritePositionMiddleware",
    "trienkhai.core.middleware.DatabaseBusyMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "trienkhai.urls"
WSGI_APPLICATION = "trienkhai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

_default_db = f"sqlite:///{DATA_DIR / 'trienkhai.sqlite3'}"
DATABASES = {
    # Several hosts ("h1:6432,h2:6432") are tried in order by libpq (core/dburl.py); with
    # ?target_session_attrs=read-write it keeps the primary, so a promoted standby takes over.
    "default": dburl.parse(
        os.environ.get("DATABASE_URL", _default_db), conn_max_age=60, conn_health_checks=True
    )
}
# SQLite: one writer at a time. WAL lets readers go on during a write; IMMEDIATE takes the write
# lock when a transaction starts (no read-to-write upgrade to fail on); a writer that finds the
# lock taken waits up to TRIENKHAI_SQLITE_TIMEOUT seconds rather than failing after 5.
SQLITE_TIMEOUT = int(os.environ.get("TRIENKHAI_SQLITE_TIMEOUT", "30"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            f"PRAGMA busy_timeout={SQLITE_TIMEOUT * 1000}; PRAGMA cache_size=-65536;"
        ),
        "timeout": SQLITE_TIMEOUT,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TRIENKHAI_TEST_SQLITE", None)}
elif DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must name a SQLite or PostgreSQL database.")

# A PostgreSQL hot standby for the reads of dashboards, roll-ups and issued reports
# (core/replica.py); a person who just wrote reads from the primary until the standby has
# replayed that write (at most TRIENKHAI_REPLICA_STICKY_SECONDS, after which the standby is
# trusted again).
_replica_url = os.environ.get("DATABASE_REPLICA_URL")
if _replica_url:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL as DATABASE_URL.")
    DATABASES["replica"] = dburl.parse(_replica_url, conn_max_age=60, conn_health_checks=True)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["trienkhai.core.replica.ReplicaRouter"]
# Behind pgbouncer in transaction mode a transaction may land on any server connection: no
# server-side cursors, and no statements prepared on a connection (psycopg prepares after five
# runs unless told not to).
if os.environ.get("TRIENKHAI_PGBOUNCER", "") == "1":
    for _alias in DATABASES:
        DATABASES[_alias]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES[_alias].setdefault("OPTIONS", {})["prepare_threshold"] = None
TRIENKHAI_REPLICA_STICKY_SECONDS = int(os.environ.get("TRIENKHAI_REPLICA_STICKY_SECONDS", "300"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Applied whenever a password is set (account creation, password change), not at sign-in.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The throttle's gate (django-axes) runs before the password check (accounts/throttle.py).
AUTHENTICATION_BACKENDS = [
    "trienkhai.accounts.throttle.ThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

_redis = os.environ.get("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis}
        if _redis
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "trienkhai_cache",
            # Panels of every signed-in user (core/versions.py), not the default 300.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    )
}

# Computed panels (the home's work list, the dashboard's figures) stay in the cache until a
# write touches their area, and at most this long (core/versions.py); 0 turns the cache off.
TRIENKHAI_PANEL_CACHE_SECONDS = int(os.environ.get("TRIENKHAI_PANEL_CACHE_SECONDS", "600"))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# The product's catalogue first; then Vietnamese for the messages of Django REST framework the
# API answers with (DRF ships few of them in Vietnamese). Kept out of a directory named
# "locale" so makemessages does not send the product's strings there.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "api_locale"]
FORMAT_MODULE_PATH = ["trienkhai.formats"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
# Behind nginx: downloads are handed to nginx's internal location with this prefix
# (X-Accel-Redirect, deploy/nginx/trienkhai.conf) once the application has checked the reader.
TRIENKHAI_ACCEL_REDIRECT = os.environ.get("TRIENKHAI_ACCEL_REDIRECT", "")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_https = os.environ.get("TRIENKHAI_HTTPS", "") == "1"
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https
SECURE_HSTS_SECONDS = 31536000 if _https else 0
if os.environ.get("TRIENKHAI_BEHIND_PROXY", "") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: nothing but this origin, no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'; report-uri /csp-report/"
)

# Login throttling (django-axes with the handler in accounts/throttle.py): failures per
# (username, address) and per address, the first wait, and the longest wait after backoff.
LOGIN_THROTTLE_LIMIT = int(os.environ.get("TRIENKHAI_LOGIN_THROTTLE_LIMIT", "5"))
LOGIN_THROTTLE_ADDRESS_LIMIT = int(
    os.environ.get("TRIENKHAI_LOGIN_THROTTLE_ADDRESS_LIMIT", str(3 * LOGIN_THROTTLE_LIMIT))
)
LOGIN_THROTTLE_WINDOW = int(os.environ.get("TRIENKHAI_LOGIN_THROTTLE_WINDOW", "900"))
LOGIN_THROTTLE_MAX_WAIT = int(os.environ.get("TRIENKHAI_LOGIN_THROTTLE_MAX_WAIT", "86400"))
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated).
TRIENKHAI_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("TRIENKHAI_TRUSTED_PROXIES", "").split(",") if p.strip()
]
for _proxy in TRIENKHAI_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"TRIENKHAI_TRUSTED_PROXIES: {_proxy!r} is no address") from _exc
AXES_HANDLER = "trienkhai.accounts.throttle.LoginThrottleHandler"
AXES_CLIENT_IP_CALLABLE = "trienkhai.accounts.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "trienkhai.accounts.throttle.lockout_response"
AXES_FAILURE_LIMIT = LOGIN_THROTTLE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(seconds=LOGIN_THROTTLE_WINDOW)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False

# Two-factor sign-in (django-otp, accounts/second_factor.py): with 1, administrators, coordinators
# and superusers must set up an authenticator app; anyone may choose to.
TRIENKHAI_2FA_REQUIRED = os.environ.get("TRIENKHAI_2FA_REQUIRED", "") == "1"
OTP_TOTP_ISSUER = "Triển khai"
OTP_TOTP_THROTTLE_FACTOR = 1  # seconds, doubled after each wrong code
OTP_STATIC_THROTTLE_FACTOR = 1

# API tokens (django-rest-knox): stored hashed, a new one at every sign-in, expiring.
API_TOKEN_TTL = int(os.environ.get("TRIENKHAI_API_TOKEN_TTL", str(10 * 3600)))
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(seconds=API_TOKEN_TTL),
    "TOKEN_LIMIT_PER_USER": 10,
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "trienkhai.accounts.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable API pulls assets from outside and is not needed offline.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "trienkhai.core.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "trienkhai.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "trienkhai.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Triển khai API",
    "DESCRIPTION": "Units, documents and their relations, scoped to the caller's units.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # A PATCH payload documents its own optional fields; the version it needs stays required.
    "COMPONENT_SPLIT_PATCH": False,
    # The documentation page's Swagger UI is served from the installed sidecar package (offline).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Tags start collapsed: with more than 120 operations expanded at once Swagger UI stopped
    # rendering them part-way; a person opens the area they need (the tags are the API's areas).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "docExpansion": "none"},
}

# Logs go to standard error (journald under systemd), as text or, with TRIENKHAI_LOG_FORMAT=json,
# as one JSON object per line; either way each record carries the request id and the user.
TRIENKHAI_LOG_FORMAT = os.environ.get("TRIENKHAI_LOG_FORMAT", "text")
if TRIENKHAI_LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("TRIENKHAI_LOG_FORMAT must be 'text' or 'json'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "trienkhai.ops.logs.ContextFilter"}},
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(user_id)s] %(message)s"
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": TRIENKHAI_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("TRIENKHAI_LOG_LEVEL", "WARNING")},
}

# /metrics answers a bearer of this token, or without one only this machine (ops/views.py).
TRIENKHAI_METRICS_TOKEN = os.environ.get("TRIENKHAI_METRICS_TOKEN", "")
# Probes and scrapers may speak plain HTTP on loopback even when HTTPS is required.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# --- Background tasks, reminders, notifications and e-mail (trienkhai.core.background, notify) --
# django-tasks runs them: the database is the queue (django-tasks-db, `trienkhai worker`) unless
# TRIENKHAI_TASKS=rq, which keeps it in Redis at REDIS_URL (django-tasks-rq). The earlier setting
# TRIENKHAI_JOB_BACKEND=redis still selects RQ.
TRIENKHAI_TASKS = os.environ.get("TRIENKHAI_TASKS") or {"database": "database", "redis": "rq"}.get(
    os.environ.get("TRIENKHAI_JOB_BACKEND", "database"), "?"
)
if TRIENKHAI_TASKS not in ("database", "rq"):
    raise ImproperlyConfigured("TRIENKHAI_TASKS must be 'database' or 'rq'.")
if TRIENKHAI_TASKS == "rq" and not _redis:
    raise ImproperlyConfigured("TRIENKHAI_TASKS=rq needs REDIS_URL.")
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
if TRIENKHAI_TASKS == "rq":
    INSTALLED_APPS.append("django_rq")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_rq.RQBackend"
            if TRIENKHAI_TASKS == "rq"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}
REDIS_URL = _redis
# RQ's queue; no time limit on a task (a national unit import takes minutes), as in the database.
RQ_QUEUES = {"default": {"URL": _redis or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": -1}}
# A failing task is tried again after TRIENKHAI_JOB_BACKOFF seconds, doubled at each further
# failure, until it has been tried TRIENKHAI_JOB_MAX_ATTEMPTS times (core/background/retries.py).
TRIENKHAI_JOB_MAX_ATTEMPTS = int(os.environ.get("TRIENKHAI_JOB_MAX_ATTEMPTS", "5"))
TRIENKHAI_JOB_BACKOFF = int(os.environ.get("TRIENKHAI_JOB_BACKOFF", "60"))  # seconds, doubled
# A database worker says it is alive every third of this many seconds, also while a task runs;
# the running tasks of a worker silent for longer (killed) are queued again by the next worker
# pass. RQ workers keep their own heartbeat; this is also how often they look for such tasks.
TRIENKHAI_JOB_LEASE = int(os.environ.get("TRIENKHAI_JOB_LEASE", "60"))
# Modules that define tasks and daily schedules, imported by workers and the inbox's renderers.
TRIENKHAI_JOB_MODULES = [
    "trienkhai.tracking.reminders",
    "trienkhai.inspections.reminders",
    "trienkhai.tracking.recurrence",
    "trienkhai.units.imports.jobs",
    "trienkhai.indicators.jobs",
    "trienkhai.webhooks.events",
]
# Recurring tasks get their periods created ahead (to the end of next year) daily at this hour.
TRIENKHAI_RECURRENCE_HOUR = int(os.environ.get("TRIENKHAI_RECURRENCE_HOUR", "2"))
# A request slower than this (ms of server time) is logged with its view (`core/timing.py`).
TRIENKHAI_SLOW_REQUEST_MS = int(os.environ.get("TRIENKHAI_SLOW_REQUEST_MS", "500"))
# Webhooks (webhooks/events.py): a delivery is tried this many times, with the task queue's
# backoff, before it is marked failed; a receiver on this machine only with ALLOW_LOOPBACK=1.
TRIENKHAI_WEBHOOK_ATTEMPTS = int(os.environ.get("TRIENKHAI_WEBHOOK_ATTEMPTS", "8"))
TRIENKHAI_WEBHOOK_ALLOW_LOOPBACK = os.environ.get("TRIENKHAI_WEBHOOK_ALLOW_LOOPBACK", "") == "1"
# Computed indicators are refreshed from the records daily at this hour.
TRIENKHAI_INDICATORS_HOUR = int(os.environ.get("TRIENKHAI_INDICATORS_HOUR", "4"))
TRIENKHAI_REMINDER_HOUR = int(os.environ.get("TRIENKHAI_REMINDER_HOUR", "7"))
TRIENKHAI_REMINDER_DAYS = int(os.environ.get("TRIENKHAI_REMINDER_DAYS", "7"))
# Daily purge of old task results and old inbox rows (failed tasks stay until handled).
TRIENKHAI_PURGE_HOUR = int(os.environ.get("TRIENKHAI_PURGE_HOUR", "3"))
TRIENKHAI_KEEP_DONE_JOBS_DAYS = int(os.environ.get("TRIENKHAI_KEEP_DONE_JOBS_DAYS", "30"))
TRIENKHAI_KEEP_READ_NOTIFICATIONS_DAYS = int(
    os.environ.get("TRIENKHAI_KEEP_READ_NOTIFICATIONS_DAYS", "90")
)
TRIENKHAI_KEEP_UNREAD_NOTIFICATIONS_DAYS = int(
    os.environ.get("TRIENKHAI_KEEP_UNREAD_NOTIFICATIONS_DAYS", "365")
)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("trienkhai.notify.context.unread")
# Django's form renderer, with select boxes of hundreds of options written without templates.
FORM_RENDERER = "trienkhai.core.renderer.FormRenderer"

# --- Inspection limits and classification rules (Quy định 296-QĐ/TW, 366-QĐ/TW; verify) ------
# Warnings, not refusals: period covered in years; working days by the inspecting level.
TRIENKHAI_INSPECTION_LIMITS = {
    "max_period_years": 5,
    "central": 60,
    "provincial": 45,
    "above_grassroots": 20,
    "extension_fraction": 1 / 3,
}
# Defaults a new classification period copies (each period then keeps its own rules).
TRIENKHAI_EVALUATIONS = {
    "GENERAL_MAX": 30,
    "RESULTS_MAX": 70,
    "EXCELLENT_MIN": 90,
    "EXCELLENT_ON_TIME_MIN": 100,
    "EXCELLENT_EXCEEDED_MIN": 30,
    "GOOD_MIN": 70,
    "COMPLETE_MIN": 50,
    "CAP_PERCENT": 20,
}

# Every date entered must fall in [MIN, MAX] (ISO dates; see trienkhai/core/dates.py for why),
# and a reorganisation dated more than BACKDATE_CONFIRM_DAYS ago needs an explicit confirmation.
TRIENKHAI_DATE_MIN = os.environ.get("TRIENKHAI_DATE_MIN", "1930-01-01")
TRIENKHAI_DATE_MAX = os.environ.get("TRIENKHAI_DATE_MAX", "2100-12-31")
TRIENKHAI_BACKDATE_CONFIRM_DAYS = int(os.environ.get("TRIENKHAI_BACKDATE_CONFIRM_DAYS", "30"))

# E-mail: the console in the demo; SMTP when TRIENKHAI_SMTP_HOST is given.
EMAIL_BACKEND = os.environ.get("TRIENKHAI_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("TRIENKHAI_SMTP_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("TRIENKHAI_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TRIENKHAI_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("TRIENKHAI_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TRIENKHAI_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("TRIENKHAI_SMTP_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("TRIENKHAI_EMAIL_FROM", "trienkhai@localhost")
TRIENKHAI_SITE_URL = os.environ.get("TRIENKHAI_SITE_URL", "")  # prefixes links in e-mails

# --- Unit import (units.imports) ------------------------------------------
# Refused before reading: an upload above MAX_BYTES (counted while it streams in), more than
# MAX_ROWS rows, an XLSX whose parts unpack to more than MAX_UNPACKED bytes or compress more than
# MAX_RATIO times. A national file (298,341 units) is 23 MB as CSV, 8 MB as XLSX unpacking to
# 109 MB. Files up to INLINE_BYTES (CSV size, or XLSX unpacked size) are imported during the
# request; larger ones by the background worker, CHUNK_ROWS units per transaction.
TRIENKHAI_IMPORT_MAX_BYTES = int(os.environ.get("TRIENKHAI_IMPORT_MAX_BYTES", 32 * 1024 * 1024))
TRIENKHAI_IMPORT_MAX_ROWS = int(os.environ.get("TRIENKHAI_IMPORT_MAX_ROWS", "350000"))
TRIENKHAI_IMPORT_MAX_UNPACKED = int(
    os.environ.get("TRIENKHAI_IMPORT_MAX_UNPACKED", 256 * 1024 * 1024)
)
TRIENKHAI_IMPORT_MAX_RATIO = int(os.environ.get("TRIENKHAI_IMPORT_MAX_RATIO", "100"))
TRIENKHAI_IMPORT_INLINE_BYTES = int(os.environ.get("TRIENKHAI_IMPORT_INLINE_BYTES", 256 * 1024))
TRIENKHAI_IMPORT_CHUNK_ROWS = int(os.environ.get("TRIENKHAI_IMPORT_CHUNK_ROWS", "2000"))
