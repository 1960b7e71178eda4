"""ZoneDesk settings, read from the environment.

SQLite is the embedded default; DATABASE_URL switches to PostgreSQL.
ZONEDESK_ENV=production turns on every deploy check and refuses a missing secret key.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("ZONEDESK_VAR_DIR", BASE_DIR.parent / "var"))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

ENV = os.environ.get("ZONEDESK_ENV", "development")
PRODUCTION = ENV == "production"
DEBUG = os.environ.get("ZONEDESK_DEBUG", "0" if PRODUCTION else "1") == "1"

_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("ZONEDESK_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured(
        "ZONEDESK_SECRET_KEY must be set to a random string of at least 50 characters "
        "when ZONEDESK_ENV=production."
    )

ALLOWED_HOSTS = os.environ.get(
    "ZONEDESK_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
).split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ZONEDESK_CSRF_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "huey.contrib.djhuey",
    # Swagger UI from its own static files, not a CDN: intranets have no internet.
    "ninja",
    "zonedesk.catalog",
    "zonedesk.orgs",
    "zonedesk.audit",
    "zonedesk.enterprises",
    "zonedesk.projects",
    "zonedesk.leads",
    "zonedesk.imports",
    "zonedesk.supervision",
    "zonedesk.meetings",
    "zonedesk.appeals",
    "zonedesk.reports",
    "zonedesk.indicators",
    "zonedesk.notify",
    "zonedesk.web",
    "zonedesk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zonedesk.web.middleware.LanguageMiddleware",
    "zonedesk.web.middleware.DatabaseBusyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zonedesk.web.middleware.RequestGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zonedesk.urls"
# Request bodies (RequestGuardMiddleware answers 413 above these, before reading): forms and
# JSON up to Django's 2.5 MB; uploads up to the most one may carry, nine 10 MB attachments.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
MAX_UPLOAD_REQUEST_BYTES = 100 * 1024 * 1024
# /api/v1/ lists: limit ≤ 500, offset ≤ 10^6 (zonedesk/pagination.py).
NINJA_PAGINATION_CLASS = "zonedesk.pagination.Pagination"
WSGI_APPLICATION = "zonedesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "zonedesk.web.context.navigation",
            ],
        },
    }
]

# SQLite is tuned for a small office server: WAL lets readers work beside one writer,
# the busy timeout waits instead of failing, and IMMEDIATE transactions take the write
# lock up front so two writers never deadlock half-way through.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'zonedesk.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiling cost more than it saved on every dashboard query measured (bench/).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Each process draws its connections from one bounded pool, so a burst of requests waits
    # for a free connection instead of exceeding the server's max_connections; one that
    # waits past the timeout answers 503 (web.middleware.DatabaseBusyMiddleware).
    # ZONEDESK_DB_POOL_MAX=0 keeps plain persistent connections (e.g. behind PgBouncer).
    _POOL_MAX = int(os.environ.get("ZONEDESK_DB_POOL_MAX", "10"))
    if _POOL_MAX:
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django refuses a pool otherwise
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": min(int(os.environ.get("ZONEDESK_DB_POOL_MIN", "2")), _POOL_MAX),
            "max_size": _POOL_MAX,
            "timeout": float(os.environ.get("ZONEDESK_DB_POOL_TIMEOUT", "5")),
        }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so a worker process can share it; one per run so parallel
    # runs never meet.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
# The read-mostly lists of zonedesk/common/cache.py (a filter form's choices) in a directory
# that every process of the machine shares, web workers and job consumer alike, so a write
# in one of them is seen by the others on their next request.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("ZONEDESK_CACHE_DIR") or str(VAR_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": f"{_VALIDATION}.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["username", "name", "email", "phone"]},
    },
    {"NAME": f"{_VALIDATION}.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": f"{_VALIDATION}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATION}.NumericPasswordValidator"},
    {"NAME": "zonedesk.orgs.passwords.ZoneDeskPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout: five failures for one username from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("ZONEDESK_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "web/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

CSRF_FAILURE_VIEW = "zonedesk.web.errors.csrf_failure"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

EMAIL_BACKEND = os.environ.get(
    "ZONEDESK_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("ZONEDESK_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ZONEDESK_SMTP_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("ZONEDESK_FROM_EMAIL", "zonedesk@localhost")
EMAIL_HOST_USER = os.environ.get("ZONEDESK_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ZONEDESK_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("ZONEDESK_SMTP_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("ZONEDESK_SMTP_SSL", "0") == "1"
EMAIL_TIMEOUT = 10
# Links in e-mails and robot posts point here (the address users open ZoneDesk at).
NOTIFY_SITE_URL = os.environ.get("ZONEDESK_SITE_URL", "http://127.0.0.1:8000")

# Jobs: huey keeps its queue in SQLite beside the database unless Redis is configured.
_REDIS_URL = os.environ.get("REDIS_URL")
HUEY = {
    "name": "zonedesk",
    "immediate": os.environ.get("ZONEDESK_HUEY_IMMEDIATE", "0") == "1",
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True},
}
if _REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": _REDIS_URL}
else:
    HUEY |= {
        "huey_class": "huey.SqliteHuey",
        "filename": os.environ.get("ZONEDESK_HUEY_DB", str(VAR_DIR / "huey.sqlite3")),
    }

# A running import or report whose worker has not reported progress for this many seconds
# lost its worker (killed, out of memory, a restart): it is marked failed and may be retried.
# Progress is reported every few hundred rows or after each section, so seconds apart.
JOBS_STALE_AFTER = int(os.environ.get("ZONEDESK_JOBS_STALE_AFTER", "300"))

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("ZONEDESK_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZONEDESK_LOG_LEVEL", "INFO")},
}
