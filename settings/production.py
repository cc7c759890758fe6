"""Production: every secret and host comes from the environment, and nothing fails open.

Start-up stops with a one-line message naming each missing required variable.
"""

import logging
import os

from .base import *  # noqa: F403
from .base import LOG_LEVEL, REST_FRAMEWORK, env
from .logging import logging_config

REQUIRED_ENVIRONMENT = ("DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOWED_HOSTS")
_missing = [name for name in REQUIRED_ENVIRONMENT if not os.environ.get(name)]
if _missing:
    raise SystemExit(f"{__name__}: missing required environment variable(s): {', '.join(_missing)}")

APP_ENVIRONMENT = env("APP_ENVIRONMENT", default="production")
DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# POD_IP (Kubernetes downward API): Prometheus scrapes each pod by its address.
if env("POD_IP", default=""):
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, env("POD_IP")]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The API's Swagger UI and schema are for staff here unless API_DOCS_PUBLIC=1; throttling counts
# the client address seen by the one proxy (nginx or the ingress) in front of the app.
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=False)
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": env.int("API_NUM_PROXIES", default=1)}
# Links in emails and SMS must point at the real site, never at a development address.
SITE_URL = env("SITE_URL", default=f"https://{ALLOWED_HOSTS[0].lstrip('.')}")

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# DATABASE_REPLICA_URLS: comma-separated read replicas, used through settings/routers.py.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    DATABASES[f"replica_{_number}"] = {
        **env.db_url_config(_url),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_REPLICAS.append(f"replica_{_number}")
DATABASE_ROUTERS = ["settings.routers.ReplicaRouter"]

# A Redis outage degrades cache reads and writes to misses, never a 500; each one is logged and
# counted in tarot_cache_errors_total (settings/logging.py).
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Logs: one JSON object per line, Python warnings (deprecations, ...) included.
LOGGING = logging_config(json=True, level=LOG_LEVEL)
logging.captureWarnings(True)

# /metrics needs METRICS_TOKEN as a bearer token or a METRICS_ALLOWED_NETWORKS address here.
METRICS_PROTECTED = True

# Sentry (started in settings/apps.py): SENTRY_DSN (off when empty), SENTRY_TRACES_SAMPLE_RATE.
SENTRY_DSN = env("SENTRY_DSN", default="")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
if not 0.0 <= SENTRY_TRACES_SAMPLE_RATE <= 1.0:
    raise SystemExit(f"{__name__}: SENTRY_TRACES_SAMPLE_RATE must be between 0.0 and 1.0")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Security: HTTPS only behind the TLS-terminating proxy (nginx or the ingress).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Probes and scrapes reach the pods over plain HTTP, not through the TLS proxy.
SECURE_REDIRECT_EXEMPT = [
    r"^api/health$",
    r"^health$",
    r"^api/ready$",
    r"^ready$",
    r"^health/workers$",
    r"^health/dependencies$",
    r"^metrics$",
]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
