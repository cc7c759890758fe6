"""In the service run, prove the suite really talks to PostgreSQL and Redis."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from tests.conftest import require_service


@pytest.mark.services
@pytest.mark.django_db
def test_database_is_postgresql_when_a_database_url_is_given():
    if not os.environ.get("DATABASE_URL"):
        require_service("DATABASE_URL is not set")

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()

    assert connection.vendor == "postgresql"
    assert version.startswith("PostgreSQL")


@pytest.mark.services
def test_cache_is_redis_when_a_redis_url_is_given():
    if not os.environ.get("REDIS_URL"):
        require_service("REDIS_URL is not set")
    from django_redis import get_redis_connection

    cache.set("services-probe", "ok", 30)

    assert settings.CACHES["default"]["BACKEND"] == "core.redis_cache.RedisCache"
    assert get_redis_connection("default").get(cache.make_key("services-probe")) is not None
    assert cache.get("services-probe") == "ok"
