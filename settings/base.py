"""Settings shared by every environment.

Every value that differs between environments is read from the environment through the one
``env`` below; the environment modules (development, test, staging, production) start with
``from .base import *`` and change only what differs.
"""

import datetime
import ipaddress
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file is read only when asked for; real environment variables always win over it.
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

APP_ENVIRONMENT = env("APP_ENVIRONMENT", default="development")
APP_RELEASE = env("APP_RELEASE", default="dev")

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default=None)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin to patch the admin forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework_simplejwt.token_blacklist",
    "django_prometheus",
    "axes",
    "csp",
    # Operations: starts Sentry once settings are complete (settings/apps.py).
    "settings.apps.OperationsConfig",
    "accounts",
    "tarot",
    "readings",
]

MIDDLEWARE = [
    # django-prometheus wraps everything else, so its timings cover the whole stack.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "settings.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Anonymous visitors' shared answers, before everything they no longer need to pass.
    "core.response_cache.ResponseCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "settings.security_headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "settings.security_headers.PrivatePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a sign-in refused for too many failures into the lockout answer (settings/security.py).
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "settings.urls"
# DJANGO_ADMIN_URL: an unguessable admin path keeps bots off the login page in production.
ADMIN_URL = env("DJANGO_ADMIN_URL", default="admin/")
WSGI_APPLICATION = "settings.wsgi.application"

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: DATABASE_URL (SQLite file in development and test when unset).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: REDIS_URL selects django-redis (with a circuit breaker, core/redis_cache.py); without
# it, local memory. REDIS_SOCKET_TIMEOUT (seconds; Redis answers in about a millisecond, so a
# call that waits longer is a Redis that hung), REDIS_CIRCUIT_FAILURES (failed calls in a row
# that open the breaker), REDIS_CIRCUIT_OPEN_SECONDS (how long calls skip Redis after that).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.5)
    CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tarot",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": REDIS_SOCKET_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
            },
            "CIRCUIT_BREAKER": {
                "FAILURES_TO_OPEN": env.int("REDIS_CIRCUIT_FAILURES", default=2),
                "OPEN_SECONDS": env.float("REDIS_CIRCUIT_OPEN_SECONDS", default=5.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Anonymous visitors' shared pages and API answers, kept whole in each worker's memory
# (core/response_cache.py): RESPONSE_CACHE_MAX_MB per worker (0 turns it off),
# RESPONSE_CACHE_MAX_ENTRIES, RESPONSE_CACHE_TIMEOUT (seconds an answer is kept at most).
RESPONSE_CACHE_MAX_BYTES = env.int("RESPONSE_CACHE_MAX_MB", default=16) * 1024 * 1024
RESPONSE_CACHE_MAX_ENTRIES = env.int("RESPONSE_CACHE_MAX_ENTRIES", default=2000)
RESPONSE_CACHE_TIMEOUT = env.int("RESPONSE_CACHE_TIMEOUT", default=10 * 60)

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out sign-in before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Internationalisation: Korean first, English second.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = tuple(code for code, _name in LANGUAGES)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Email: EMAIL_URL (console in development), DEFAULT_FROM_EMAIL.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Tarot Master <no-reply@tarot.example>")
# EMAIL_TIMEOUT: seconds before a hung mail server counts as a (retried) failure.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# Celery: CELERY_BROKER_URL, else REDIS_URL; with neither, tasks run eagerly in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The monitoring stack's celery-exporter builds its task metrics (celery_task_failed_total on
# the dashboard, runtimes) from task events, which workers send only when asked; the "sent"
# event comes from whoever queues the task. Queue lengths need neither.
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_TASK_SEND_SENT_EVENT = True
CELERY_TASK_DEFAULT_QUEUE = "default"
# Notifications get their own queue so a slow mail server never delays other work.
CELERY_TASK_ROUTES = {"readings.tasks.daily_notifications_*": {"queue": "notifications"}}
# The schedule lives here, in code; a run that waited past the next one is dropped, not stacked.
CELERY_BEAT_SCHEDULE = {
    "daily-cards-generate": {
        "task": "readings.tasks.daily_cards_generate_task",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    "daily-notifications-send": {
        "task": "readings.tasks.daily_notifications_send_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # Anonymous readings are kept 30 days (readings.services.ANONYMOUS_READING_RETENTION).
    "anonymous-readings-purge": {
        "task": "readings.tasks.anonymous_readings_purge_task",
        "schedule": crontab(hour=3, minute=41),
        "options": {"expires": 60 * 60},
    },
    # Blacklisted and expired JWT refresh tokens pile up in the database otherwise.
    "expired-tokens-flush": {
        "task": "accounts.tasks.expired_tokens_flush_task",
        "schedule": crontab(hour=4, minute=17),
        "options": {"expires": 60 * 60},
    },
}

# Daily notifications: SITE_URL (absolute links in messages), NOTIFICATION_MAX_ATTEMPTS,
# NOTIFICATION_RETRY_DELAY (seconds, doubles per attempt), NOTIFICATION_CLAIM_TIMEOUT,
# NOTIFICATION_CHUNK_SIZE.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
NOTIFICATION_RETRY_DELAY = env.int("NOTIFICATION_RETRY_DELAY", default=60)
NOTIFICATION_CLAIM_TIMEOUT = env.int("NOTIFICATION_CLAIM_TIMEOUT", default=600)
NOTIFICATION_CHUNK_SIZE = env.int("NOTIFICATION_CHUNK_SIZE", default=500)
if NOTIFICATION_MAX_ATTEMPTS < 1 or NOTIFICATION_RETRY_DELAY < 1 or NOTIFICATION_CHUNK_SIZE < 1:
    raise ImproperlyConfigured(
        "NOTIFICATION_MAX_ATTEMPTS, NOTIFICATION_RETRY_DELAY and NOTIFICATION_CHUNK_SIZE "
        "must be at least 1."
    )
# A claim that expired while its task could still be sending would let a second worker send too.
if NOTIFICATION_CLAIM_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("NOTIFICATION_CLAIM_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT.")

# Mobile API (core/api/): API_THROTTLE_ANON, API_THROTTLE_USER, API_THROTTLE_AUTH,
# API_THROTTLE_READING_CREATE (rates such as 60/min), API_NUM_PROXIES (trusted proxies in front
# of the app, for the client address), JWT_EXPIRATION_DELTA and JWT_REFRESH_EXPIRATION_DELTA
# (seconds), API_DOCS_PUBLIC (Swagger UI and schema for everyone, else staff only).
API_THROTTLE_RATES = {
    "anon": env("API_THROTTLE_ANON", default="120/min"),
    "user": env("API_THROTTLE_USER", default="300/min"),
    "auth": env("API_THROTTLE_AUTH", default="10/min"),
    "reading_create": env("API_THROTTLE_READING_CREATE", default="30/min"),
}
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.ApiAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.CachedUserJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.AnonRateThrottle",
        "core.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": API_THROTTLE_RATES,
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    # The schema is the API's description; OPTIONS would be a second, undocumented one.
    "DEFAULT_METADATA_CLASS": None,
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": datetime.timedelta(
        seconds=env.int("JWT_EXPIRATION_DELTA", default=60 * 60)
    ),
    "REFRESH_TOKEN_LIFETIME": datetime.timedelta(
        seconds=env.int("JWT_REFRESH_EXPIRATION_DELTA", default=14 * 24 * 60 * 60)
    ),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    # accounts.api.TokenObtainApi sends user_logged_in, whose receiver sets last_login.
    "UPDATE_LAST_LOGIN": False,
    "AUTH_HEADER_TYPES": ("Bearer",),
}
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=True)
SPECTACULAR_SETTINGS = {
    "TITLE": "Tarot Master API",
    "DESCRIPTION": (
        "Tarot readings, the card encyclopedia and daily cards for the mobile app. Sign in with "
        "`POST /api/v1/auth/token/` and send `Authorization: Bearer <access>`. Content comes in "
        "the `Accept-Language` language (ko by default, or en), named in `Content-Language`. "
        'Every 4xx answer has the shape `{"error": {"code", "message", "fields"}}`; a cached '
        "read refuses a query parameter it does not list, or one given twice, with a 400."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "accounts.models.User.Language",
        "NotificationChannelEnum": "accounts.models.User.Channel",
        "ArcanaEnum": "tarot.models.Card.Arcana",
        "SuitEnum": "tarot.models.Card.Suit",
    },
    # Swagger UI from the drf-spectacular-sidecar static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True},
}

# SMS: SMS_BACKEND ("mock" records messages; "http" posts to SMS_API_URL with SMS_API_KEY).
SMS_BACKEND = env("SMS_BACKEND", default="mock")
SMS_API_URL = env("SMS_API_URL", default="")
SMS_API_KEY = env("SMS_API_KEY", default="")

# Logging (settings/logging.py): LOG_LEVEL; readable lines here, JSON in staging and production.
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = logging_config(json=False, level=LOG_LEVEL)

# Operations (settings/health.py, settings/metrics.py): METRICS_TOKEN and
# METRICS_ALLOWED_NETWORKS open /metrics where it is protected (production); HEALTH_WORKERS_TOKEN
# opens /health/workers and /health/dependencies (closed while unset).
METRICS_PROTECTED = False
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])
for _network in METRICS_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"METRICS_ALLOWED_NETWORKS: {_network!r} is not an address or CIDR network."
        ) from None
HEALTH_WORKERS_TOKEN = env("HEALTH_WORKERS_TOKEN", default="")
# CELERY_METRICS_PORT: a Celery worker serves its own /metrics on this port (0: off).
CELERY_METRICS_PORT = env.int("CELERY_METRICS_PORT", default=0)

# Sentry (settings/sentry.py): off here; settings.production reads SENTRY_DSN.
SENTRY_DSN = ""
SENTRY_TRACES_SAMPLE_RATE = 0.0

# Read replicas (settings/routers.py): aliases of replica databases; settings.production fills
# it from DATABASE_REPLICA_URLS.
DATABASE_REPLICAS: list[str] = []

# Content-Security-Policy, Permissions-Policy and sign-in lockout (settings/security.py).
from .security import *  # noqa: E402, F403
