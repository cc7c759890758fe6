"""manage.py check_environment: what it prints, and its exit code per environment."""

import pytest

from tests.subprocesses import PRODUCTION_ENVIRONMENT, run_python

SOUND_PRODUCTION = {
    **PRODUCTION_ENVIRONMENT,
    "REDIS_URL": "redis://:s3cret-redis-password@cache.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:mail-password@smtp.example.com:587",
    "SMS_BACKEND": "http",
    "SMS_API_URL": "https://sms.example.com/send",
    "METRICS_TOKEN": "t" * 40,
    "SENTRY_DSN": "https://public@sentry.example/1",
    "SENTRY_TRACES_SAMPLE_RATE": "0.05",
    "APP_RELEASE": "3f2c1ab",
    "DJANGO_ADMIN_URL": "back-office-7f3a/",
}


def check_environment(settings_module: str, environment: dict[str, str]):
    return run_python(
        ["manage.py", "check_environment"],
        settings_module=settings_module,
        environment=environment,
    )


def facts(stdout: str) -> dict[str, str]:
    lines = [line.split(":", 1) for line in stdout.splitlines() if ":" in line]
    return {name.strip(): value.strip() for name, value in lines}


def test_development_prints_its_configuration_and_passes():
    result = check_environment("settings.development", {})

    assert result.returncode == 0, result.stderr
    printed = facts(result.stdout)
    assert printed["Settings module"] == "settings.development"
    assert printed["Environment"] == "development (release dev)"
    assert printed["Debug"] == "on"
    assert printed["Database"].startswith("sqlite (")
    assert printed["Cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert printed["Celery broker"] == "none: tasks run eagerly in-process"
    assert printed["Email backend"] == "django.core.mail.backends.console.EmailBackend"
    assert printed["SMS backend"] == "mock"
    assert printed["Sentry"] == "off"
    assert "Configuration checks apply to staging and production" in result.stdout


def test_a_sound_production_configuration_passes_and_hides_passwords():
    result = check_environment("settings.production", SOUND_PRODUCTION)

    assert result.returncode == 0, result.stderr
    printed = facts(result.stdout)
    assert printed["Environment"] == "production (release 3f2c1ab)"
    assert printed["Debug"] == "off"
    assert printed["Database"] == "postgresql (127.0.0.1:5432/tarot), read replicas: 0"
    assert printed["Cache"] == "core.redis_cache.RedisCache (errors degrade to misses)"
    assert printed["Celery broker"] == "redis://:***@cache.internal:6379/0"
    assert printed["Email backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert printed["SMS backend"] == "http"
    assert printed["Sentry"] == "on (traces sample rate 0.05)"
    assert "password" not in result.stdout
    assert "The production configuration is sound." in result.stdout
    assert result.stderr == ""


def test_read_replicas_are_counted():
    result = check_environment(
        "settings.production",
        {
            **SOUND_PRODUCTION,
            "DATABASE_REPLICA_URLS": "postgres://tarot@replica-a:5432/tarot,"
            "postgres://tarot@replica-b:5432/tarot",
        },
    )

    assert result.returncode == 0, result.stderr
    assert facts(result.stdout)["Database"].endswith("read replicas: 2")


def test_production_misconfiguration_fails_listing_every_problem():
    result = check_environment(
        "settings.production",
        {
            "DJANGO_SECRET_KEY": "changeme",
            "DATABASE_URL": "sqlite:////tmp/tarot-check.sqlite3",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "DJANGO_ALLOWED_HOSTS": "*",
            "EMAIL_URL": "consolemail://",
            "METRICS_TOKEN": "short",
        },
    )

    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith("problem: ")]
    assert len(problems) == 8
    assert "DJANGO_SECRET_KEY is weak" in result.stderr
    assert "APP_RELEASE is 'dev'" in result.stderr
    assert "DJANGO_ADMIN_URL is the default admin/" in result.stderr
    assert "wildcard" in result.stderr
    assert "The database is SQLite" in result.stderr
    assert "The email backend is console" in result.stderr
    assert "SMS_BACKEND is mock" in result.stderr
    assert "METRICS_TOKEN is shorter than 32 characters" in result.stderr
    assert "8 problem(s) in the production configuration." in result.stderr
    assert "warning: SENTRY_DSN is not set" in result.stdout


def test_development_settings_labelled_production_fail_on_debug_cache_and_eager_celery():
    result = check_environment("settings.development", {"APP_ENVIRONMENT": "production"})

    assert result.returncode == 1
    for problem in (
        "DEBUG is on",
        "DJANGO_SECRET_KEY is weak",
        "The database is SQLite",
        "The cache is locmem",
        "Celery runs tasks eagerly",
        "Session and CSRF cookies are not marked Secure",
        "The email backend is console",
        "SMS_BACKEND is mock",
    ):
        assert f"problem: {problem}" in result.stderr


def test_staging_accepts_a_console_email_backend_and_mock_sms():
    result = check_environment(
        "settings.staging", {**PRODUCTION_ENVIRONMENT, "EMAIL_URL": "consolemail://"}
    )

    assert result.returncode == 0, result.stderr
    assert facts(result.stdout)["Environment"] == "staging (release dev)"


@pytest.mark.parametrize("settings_module", ["settings.staging", "settings.production"])
def test_a_missing_secret_stops_before_the_check_with_its_name(settings_module):
    environment = {k: v for k, v in PRODUCTION_ENVIRONMENT.items() if k != "DJANGO_SECRET_KEY"}

    result = check_environment(settings_module, environment)

    assert result.returncode != 0
    assert "missing required environment variable(s): DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("admin_url", "problem"),
    [
        ("admin/", "DJANGO_ADMIN_URL is the default admin/"),
        ("", "DJANGO_ADMIN_URL is empty"),
        ("/", "DJANGO_ADMIN_URL is empty"),
        ("back-office", "DJANGO_ADMIN_URL must be a path like back-office-7f3a/"),
    ],
)
def test_production_refuses_a_guessable_or_broken_admin_path(admin_url, problem):
    result = check_environment(
        "settings.production", {**SOUND_PRODUCTION, "DJANGO_ADMIN_URL": admin_url}
    )

    assert result.returncode != 0
    assert problem in result.stdout + result.stderr


def test_staging_may_keep_the_default_admin_path_but_not_an_empty_one():
    default = check_environment(
        "settings.staging", {**SOUND_PRODUCTION, "DJANGO_ADMIN_URL": "admin/"}
    )
    empty = check_environment("settings.staging", {**SOUND_PRODUCTION, "DJANGO_ADMIN_URL": ""})

    assert "DJANGO_ADMIN_URL" not in default.stdout + default.stderr
    assert empty.returncode != 0
    assert "DJANGO_ADMIN_URL is empty" in empty.stdout + empty.stderr


def test_staging_without_a_release_is_warned_not_refused():
    environment = {key: value for key, value in SOUND_PRODUCTION.items() if key != "APP_RELEASE"}

    result = check_environment("settings.staging", environment)

    assert result.returncode == 0, result.stderr
    assert "warning: APP_RELEASE is 'dev'" in result.stdout
