"""What the running configuration is, and what is wrong with it for staging or production.

Used by ``manage.py check_environment``. Reads settings only: no service is contacted (``/ready``
does that), so the check runs anywhere the settings load, e.g. in CI before a deploy.
"""

import os
import urllib.parse
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections

STRICT_ENVIRONMENTS = ("staging", "production")
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
TOKEN_MIN_LENGTH = 32
NON_DELIVERING_EMAIL_BACKENDS = ("console", "locmem", "dummy", "filebased")
NON_SHARED_CACHE_BACKENDS = ("locmem", "dummy", "filebased", "db")


@dataclass
class EnvironmentReport:
    environment: str
    strict: bool
    facts: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def url_without_password(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname}"
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def _settings_module() -> str:
    return os.environ.get("DJANGO_SETTINGS_MODULE", "(not set)")


def _is_strict(environment: str) -> bool:
    module = _settings_module().rsplit(".", 1)[-1]
    return environment in STRICT_ENVIRONMENTS or module in STRICT_ENVIRONMENTS


def _environment_name() -> str:
    module = _settings_module().rsplit(".", 1)[-1]
    if module in STRICT_ENVIRONMENTS and settings.APP_ENVIRONMENT not in STRICT_ENVIRONMENTS:
        return module
    return settings.APP_ENVIRONMENT


def _describe() -> dict[str, str]:
    default = settings.DATABASES["default"]
    location = str(default.get("NAME") or "")
    if default.get("HOST"):
        port = f":{default['PORT']}" if default.get("PORT") else ""
        location = f"{default['HOST']}{port}/{location}"
    database = f"{connections['default'].vendor} ({location})"
    replicas = len(getattr(settings, "DATABASE_REPLICAS", []))
    cache = settings.CACHES["default"]["BACKEND"]
    if getattr(settings, "DJANGO_REDIS_IGNORE_EXCEPTIONS", False):
        cache += " (errors degrade to misses)"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        broker = "none: tasks run eagerly in-process"
    else:
        broker = url_without_password(settings.CELERY_BROKER_URL)
    sentry = "off"
    if settings.SENTRY_DSN:
        sentry = f"on (traces sample rate {settings.SENTRY_TRACES_SAMPLE_RATE:g})"
    return {
        "Settings module": _settings_module(),
        "Environment": f"{_environment_name()} (release {settings.APP_RELEASE})",
        "Debug": "on" if settings.DEBUG else "off",
        "Database": f"{database}, read replicas: {replicas}",
        "Cache": cache,
        "Celery broker": broker,
        "Email backend": settings.EMAIL_BACKEND,
        "SMS backend": settings.SMS_BACKEND,
        "Sentry": sentry,
    }


def _secret_key_problem() -> str | None:
    key = settings.SECRET_KEY or ""
    if not key:
        return "DJANGO_SECRET_KEY is missing."
    if (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or "insecure" in key
    ):
        return (
            f"DJANGO_SECRET_KEY is weak: use at least {SECRET_KEY_MIN_LENGTH} random characters "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))").'
        )
    return None


def _backend_kind(backend: str, kinds: tuple[str, ...]) -> str | None:
    lowered = backend.lower()
    return next((kind for kind in kinds if kind in lowered), None)


def _check(report: EnvironmentReport) -> None:
    production = report.environment == "production"
    problems, warnings = report.problems, report.warnings

    if settings.DEBUG:
        problems.append("DEBUG is on: tracebacks and settings would be shown to visitors.")
    if secret_problem := _secret_key_problem():
        problems.append(secret_problem)
    if not settings.ALLOWED_HOSTS:
        problems.append("DJANGO_ALLOWED_HOSTS is empty.")
    elif any(host == "*" or host.startswith("*") for host in settings.ALLOWED_HOSTS):
        problems.append("DJANGO_ALLOWED_HOSTS contains a wildcard; list the real host names.")
    if connections["default"].vendor == "sqlite":
        problems.append("The database is SQLite; staging and production use PostgreSQL.")
    cache_kind = _backend_kind(settings.CACHES["default"]["BACKEND"], NON_SHARED_CACHE_BACKENDS)
    if cache_kind:
        problems.append(
            f"The cache is {cache_kind} ({settings.CACHES['default']['BACKEND']}): each process "
            "would keep its own; use Redis (REDIS_URL)."
        )
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        problems.append(
            "Celery runs tasks eagerly inside web requests; set CELERY_BROKER_URL or REDIS_URL."
        )
    if settings.APP_RELEASE in ("", "dev", "unknown"):
        # Cached content is keyed by release (core.caching.release_key): without a real one a
        # deploy would read the previous release's cached objects, and Sentry could not tell
        # releases apart.
        (problems if production else warnings).append(
            f"APP_RELEASE is {settings.APP_RELEASE!r}: set it to the image's version (the git "
            "commit) so caches and error reports are kept per release."
        )
    admin_path = settings.ADMIN_URL.strip("/")
    if not admin_path:
        problems.append(
            "DJANGO_ADMIN_URL is empty: the admin would answer at the site's root (/login/)."
        )
    elif not settings.ADMIN_URL.endswith("/") or settings.ADMIN_URL.startswith("/"):
        problems.append(
            f"DJANGO_ADMIN_URL must be a path like back-office-7f3a/, not {settings.ADMIN_URL!r}."
        )
    elif production and admin_path == "admin":
        problems.append(
            "DJANGO_ADMIN_URL is the default admin/: bots try it first; choose an unguessable "
            "path such as back-office-7f3a/."
        )
    if not (settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE):
        problems.append("Session and CSRF cookies are not marked Secure.")
    if not settings.SECURE_SSL_REDIRECT:
        warnings.append("DJANGO_SECURE_SSL_REDIRECT is off: the proxy must redirect HTTP itself.")
    if not settings.SECURE_HSTS_SECONDS:
        warnings.append("HSTS is off (DJANGO_SECURE_HSTS_SECONDS=0).")

    email_kind = _backend_kind(settings.EMAIL_BACKEND, NON_DELIVERING_EMAIL_BACKENDS)
    if production and email_kind:
        problems.append(
            f"The email backend is {email_kind}: no email would be delivered; set EMAIL_URL to "
            "an SMTP server."
        )
    if production and settings.SMS_BACKEND == "mock":
        problems.append("SMS_BACKEND is mock: no SMS would be delivered; use http.")

    if settings.METRICS_TOKEN and len(settings.METRICS_TOKEN) < TOKEN_MIN_LENGTH:
        problems.append(f"METRICS_TOKEN is shorter than {TOKEN_MIN_LENGTH} characters.")
    if not settings.METRICS_TOKEN and not settings.METRICS_ALLOWED_NETWORKS:
        warnings.append(
            "Neither METRICS_TOKEN nor METRICS_ALLOWED_NETWORKS is set: Prometheus cannot "
            "read /metrics."
        )
    if settings.HEALTH_WORKERS_TOKEN and len(settings.HEALTH_WORKERS_TOKEN) < TOKEN_MIN_LENGTH:
        problems.append(f"HEALTH_WORKERS_TOKEN is shorter than {TOKEN_MIN_LENGTH} characters.")
    if not settings.SENTRY_DSN:
        warnings.append("SENTRY_DSN is not set: errors are only in the logs.")


def environment_check() -> EnvironmentReport:
    """Describe the configuration; in staging and production, list what is unsafe or broken."""
    environment = _environment_name()
    report = EnvironmentReport(
        environment=environment, strict=_is_strict(environment), facts=_describe()
    )
    if report.strict:
        _check(report)
    return report
