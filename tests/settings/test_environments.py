"""Each settings module starts only with what it needs; staging and production fail closed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENVIRONMENT = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "DATABASE_URL": "postgres://tarot@127.0.0.1:5432/tarot",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_ALLOWED_HOSTS": "tarot.example",
}
PROBE = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], "
    "settings.CACHES['default']['BACKEND'], settings.CELERY_TASK_ALWAYS_EAGER)"
)


def import_settings(module: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": module, **environment}
    return subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("module", ["settings.development", "settings.test"])
def test_development_and_test_start_with_an_empty_environment(module):
    result = import_settings(module, {})

    assert result.returncode == 0, result.stderr
    debug, engine, cache_backend, eager = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert cache_backend == "django.core.cache.backends.locmem.LocMemCache"
    assert eager == "True"
    assert debug == ("True" if module == "settings.development" else "False")


def test_development_uses_postgresql_and_redis_when_urls_are_set():
    result = import_settings(
        "settings.development",
        {"DATABASE_URL": PRODUCTION_ENVIRONMENT["DATABASE_URL"], "REDIS_URL": "redis://h:6379/1"},
    )

    assert result.returncode == 0, result.stderr
    _, engine, cache_backend, eager = result.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert cache_backend == "django_redis.cache.RedisCache"
    assert eager == "False"


@pytest.mark.parametrize("module", ["settings.staging", "settings.production"])
@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENVIRONMENT))
def test_staging_and_production_refuse_to_start_without_a_required_variable(module, missing):
    environment = {k: v for k, v in PRODUCTION_ENVIRONMENT.items() if k != missing}

    result = import_settings(module, environment)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert missing in last_line
    assert "missing required environment variable" in last_line


@pytest.mark.parametrize("module", ["settings.staging", "settings.production"])
def test_staging_and_production_start_with_every_required_variable_and_never_debug(module):
    result = import_settings(module, {**PRODUCTION_ENVIRONMENT, "DJANGO_DEBUG": "1"})

    assert result.returncode == 0, result.stderr
    debug, engine, cache_backend, eager = result.stdout.split()
    assert (debug, engine, cache_backend, eager) == (
        "False",
        "django.db.backends.postgresql",
        "django_redis.cache.RedisCache",
        "False",
    )


def test_base_settings_fix_language_time_zone_and_hashers(settings):
    assert settings.LANGUAGE_CODE == "ko"
    assert [code for code, _ in settings.LANGUAGES] == ["ko", "en"]
    assert settings.TIME_ZONE == "Asia/Seoul"
    assert settings.USE_TZ is True
    assert settings.DEFAULT_AUTO_FIELD == "django.db.models.BigAutoField"
    assert settings.AUTH_USER_MODEL == "accounts.User"


def test_argon2_is_the_first_hasher_outside_tests():
    from settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_env_example_documents_every_variable_the_settings_read():
    import re

    documented = set(
        re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (PROJECT_ROOT / ".env.example").read_text(), re.M)
    )
    read = set()
    for path in (PROJECT_ROOT / "settings").glob("*.py"):
        source = path.read_text()
        read |= set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", source))
        read |= set(re.findall(r"os\.environ\.get\(\"([A-Z][A-Z0-9_]+)\"", source))
    read |= {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOWED_HOSTS"}

    assert read - documented == set()
