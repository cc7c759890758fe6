"""A Redis that hangs (stopped by SIGSTOP: connections are accepted, nothing answers), under
production's cache settings with the circuit breaker: the site keeps answering without waiting
on every cache call, throttles keep counting, and writes made during the stall are seen after
it. The Redis is this test's own, never the machine's."""

import time

import pytest
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from readings.models import Reading
from tarot.models import Card
from tarot.services import deck_seed
from tests.accounts.factories import PASSWORD, UserFactory
from tests.api.conftest import bearer

pytestmark = pytest.mark.services

OPEN_SECONDS = 0.3
PAGES = ["/", "/cards/", "/cards/the-fool/", "/daily/", "/api/v1/cards/", "/api/v1/spreads/"]


def metric(name: str) -> float:
    return REGISTRY.get_sample_value(name) or 0.0


def stall_cache(url: str, *, open_seconds: float) -> dict:
    return {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "tarot",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
            "CIRCUIT_BREAKER": {"FAILURES_TO_OPEN": 2, "OPEN_SECONDS": open_seconds},
        }
    }


@pytest.fixture
def stalling_redis(settings, throwaway_redis):
    settings.CACHES = stall_cache(throwaway_redis.url, open_seconds=OPEN_SECONDS)
    settings.DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield throwaway_redis
    throwaway_redis.resume()


def recovered(server) -> None:
    server.resume()
    # The breaker lets one call through once its time-out has passed.
    time.sleep(OPEN_SECONDS + 0.05)


def test_pages_answer_without_waiting_on_every_cache_call(
    client, stalling_redis, settings, seeded_deck
):
    # Open long enough that no retry falls inside the test, however slow the machine is.
    settings.CACHES = stall_cache(stalling_redis.url, open_seconds=600)
    assert {client.get(path).status_code for path in PAGES} == {200}
    stalling_redis.pause()
    waited_before = metric("tarot_cache_errors_total")
    skipped_before = metric("tarot_cache_calls_skipped_total")

    statuses = [client.get(path).status_code for path in PAGES * 3]

    assert set(statuses) == {200}
    # Only the two calls that opened the breaker waited on Redis; every other call skipped it.
    assert metric("tarot_cache_errors_total") - waited_before == 2
    assert metric("tarot_cache_calls_skipped_total") - skipped_before > 20


def test_readiness_stays_200_with_the_cache_degraded(client, stalling_redis, db):
    stalling_redis.pause()

    response = client.get("/api/ready")

    assert response.status_code == 200
    assert response.json()["degraded"] == ["cache"]


@pytest.mark.django_db(transaction=True)
def test_a_draw_made_during_the_stall_is_in_the_journal_after_it(stalling_redis, seeded_deck):
    # Committed for real: the journal's version moves on after the commit.
    user = UserFactory()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=bearer(user))
    api.post("/api/v1/readings/", {"spread": "single-card"}, format="json")
    assert api.get("/api/v1/readings/").json()["count"] == 1

    stalling_redis.pause()
    during = api.post("/api/v1/readings/", {"spread": "single-card"}, format="json")
    recovered(stalling_redis)

    assert during.status_code == 201
    assert Reading.objects.filter(user=user).count() == 2
    assert api.get("/api/v1/readings/").json()["count"] == 2


def test_a_deck_change_made_during_the_stall_is_shown_after_it(client, stalling_redis, seeded_deck):
    assert "The Fool" in client.get("/en/cards/the-fool/").content.decode()
    assert client.get("/api/v1/cards/the-fool/", HTTP_ACCEPT_LANGUAGE="en").json()

    stalling_redis.pause()
    Card.objects.filter(slug="the-fool").update(name_en="The Wanderer")
    deck_seed()  # nothing to create: the editor's save path is below
    from tarot.cache import deck_content_changed

    deck_content_changed()
    recovered(stalling_redis)

    page = client.get("/en/cards/the-fool/").content.decode()
    api = client.get("/api/v1/cards/the-fool/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert "The Wanderer" in page
    assert api["name"] == "The Wanderer"


def test_sign_in_stays_throttled_while_redis_hangs(stalling_redis, settings, db):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "auth": "3/min"}
    user = UserFactory()
    stalling_redis.pause()

    statuses = [
        APIClient()
        .post("/api/v1/auth/token/", {"email": user.email, "password": PASSWORD}, format="json")
        .status_code
        for _ in range(6)
    ]

    assert statuses[:3] == [200, 200, 200]
    assert statuses[-1] == 429
