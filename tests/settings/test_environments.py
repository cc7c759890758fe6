"""Each settings module starts only with what it needs; staging and production fail closed."""

import pytest

from tests.subprocesses import PRODUCTION_ENVIRONMENT, PROJECT_ROOT, run_python

PROBE = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], "
    "settings.CACHES['default']['BACKEND'], settings.CELERY_TASK_ALWAYS_EAGER)"
)


def import_settings(module: str, environment: dict[str, str]):
    return run_python(["-c", PROBE], settings_module=module, environment=environment)


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
    assert cache_backend == "core.redis_cache.RedisCache"
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
        "core.redis_cache.RedisCache",
        "False",
    )


def test_passwords_are_hashed_with_argon2_outside_tests():
    probe = (
        "import django; django.setup(); from django.contrib.auth.hashers import make_password; "
        "print(make_password('correct horse battery').split('$')[0])"
    )

    result = run_python(["-c", probe], settings_module="settings.development")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "argon2"


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
