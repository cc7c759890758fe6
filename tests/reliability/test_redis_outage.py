"""Redis goes down under production's cache settings: pages and API reads still answer 200
(each cache error is a miss, logged and counted), /ready stays 200 naming the cache degraded
(the pod can still serve), and once Redis is back nothing is degraded, without restarting."""

import logging
import time

import pytest
from prometheus_client import REGISTRY

from readings.services import reading_create
from tests.accounts.factories import UserFactory
from tests.api.conftest import bearer

pytestmark = pytest.mark.services

OPEN_SECONDS = 0.3
PAGES = ["/", "/cards/", "/cards/the-fool/", "/daily/", "/readings/new/", "/en/cards/"]
API_READS = ["/api/v1/cards/", "/api/v1/cards/the-fool/", "/api/v1/spreads/", "/api/v1/daily-card/"]


def production_cache(url: str) -> dict:
    """settings.base's django-redis cache with production's IGNORE_EXCEPTIONS (a miss, logged)."""
    return {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "tarot",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
            },
            "CIRCUIT_BREAKER": {"FAILURES_TO_OPEN": 2, "OPEN_SECONDS": OPEN_SECONDS},
        }
    }


def cache_errors() -> float:
    return REGISTRY.get_sample_value("tarot_cache_errors_total") or 0.0


@pytest.fixture
def redis_cache(settings, throwaway_redis):
    settings.CACHES = production_cache(throwaway_redis.url)
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # The broker (if any) is the shared Redis, which stays up: only the cache is under test.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return throwaway_redis


def everything_answers(client, user) -> dict[str, int]:
    statuses = {path: client.get(path).status_code for path in PAGES}
    client.force_login(user)
    statuses["/journal/ (signed in)"] = client.get("/journal/").status_code
    statuses["/daily/ (signed in)"] = client.get("/daily/").status_code
    client.logout()
    for path in API_READS:
        statuses[path] = client.get(path).status_code
    statuses["/api/v1/readings/ (signed in)"] = client.get(
        "/api/v1/readings/", headers={"Authorization": bearer(user)}
    ).status_code
    return statuses


def test_a_redis_outage_degrades_to_misses_and_readiness_recovers_by_itself(
    client, redis_cache, seeded_deck, three_card_spread, caplog
):
    user = UserFactory()
    reading_create(user=user, spread=three_card_spread, question="Redis?")
    assert set(everything_answers(client, user).values()) == {200}
    assert client.get("/ready").status_code == 200

    redis_cache.stop()
    errors_before = cache_errors()
    with caplog.at_level(logging.ERROR, logger="django_redis.cache"):
        during = everything_answers(client, user)
        ready = client.get("/ready")

    assert during == dict.fromkeys(during, 200)
    assert ready.status_code == 200
    assert (ready.json()["failing"], ready.json()["degraded"]) == ([], ["cache"])
    assert ready.json()["checks"]["database"]["status"] == "ok"
    logged = [record for record in caplog.records if record.name == "django_redis.cache"]
    assert logged and all(record.exc_info for record in logged)
    assert cache_errors() - errors_before >= len(logged)

    redis_cache.start()

    time.sleep(OPEN_SECONDS + 0.05)  # the breaker tries Redis again after its time-out
    assert client.get("/ready").json()["degraded"] == []
    assert set(everything_answers(client, user).values()) == {200}
