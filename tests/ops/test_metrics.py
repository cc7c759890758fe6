"""Prometheus metrics: the business counters, who may read /metrics, cache errors counted."""

import datetime
import http.client
import json
import logging

import pytest
from django.core.cache import caches
from prometheus_client import REGISTRY

from core import metrics
from readings.daily_services import daily_cards_generate, notification_chunk_send
from readings.services import reading_create
from settings import metrics as metrics_endpoint
from tests.accounts.factories import UserFactory
from tests.subprocesses import PRODUCTION_ENVIRONMENT, closed_port, run_python

METRICS_TOKEN = "m" * 40


def sample(name: str, labels: dict[str, str] | None = None) -> float:
    return REGISTRY.get_sample_value(name, labels or {}) or 0.0


def notifications_counted(channel: str, status: str) -> float:
    return sample("tarot_notifications_sent_total", {"channel": channel, "status": status})


@pytest.mark.django_db
def test_creating_a_reading_counts_it_by_spread(three_card_spread, single_card_spread):
    three_before = sample("tarot_readings_created_total", {"spread": three_card_spread.slug})
    single_before = sample("tarot_readings_created_total", {"spread": single_card_spread.slug})

    reading_create(user=UserFactory(), spread=three_card_spread, question="Will it rain?")
    reading_create(user=None, spread=three_card_spread)
    reading_create(user=None, spread=single_card_spread)

    three_after = sample("tarot_readings_created_total", {"spread": three_card_spread.slug})
    single_after = sample("tarot_readings_created_total", {"spread": single_card_spread.slug})
    assert three_after - three_before == 2
    assert single_after - single_before == 1


@pytest.mark.django_db
def test_the_daily_job_counts_the_cards_it_created(seeded_deck):
    UserFactory.create_batch(3)
    before = sample("tarot_daily_cards_generated_total")

    daily_cards_generate()
    daily_cards_generate()  # nothing left to create
    daily_cards_generate(dry_run=True)

    assert sample("tarot_daily_cards_generated_total") - before == 3


@pytest.mark.django_db
def test_notifications_are_counted_by_channel_and_status(seeded_deck, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    due = datetime.time(0, 0)
    emailed = UserFactory(notifications_enabled=True, notification_time=due)
    texted = UserFactory(
        notifications_enabled=True,
        notification_time=due,
        notification_channel="sms",
        phone_number="+821012345678",
    )
    # No phone number: a permanent failure.
    unreachable = UserFactory(
        notifications_enabled=True, notification_time=due, notification_channel="sms"
    )
    labels = [("email", "sent"), ("sms", "sent"), ("sms", "failed")]
    before = {label: notifications_counted(*label) for label in labels}

    notification_chunk_send(user_ids=[emailed.pk, texted.pk, unreachable.pk])
    notification_chunk_send(user_ids=[emailed.pk])  # already sent today: skipped, not counted

    after = {label: notifications_counted(*label) for label in labels}
    assert {label: after[label] - before[label] for label in labels} == {
        ("email", "sent"): 1,
        ("sms", "sent"): 1,
        ("sms", "failed"): 1,
    }


def test_daily_card_and_notification_counters_add_what_they_are_told():
    daily_before = sample("tarot_daily_cards_generated_total")
    sent_before = sample("tarot_notifications_sent_total", {"channel": "sms", "status": "failed"})

    metrics.daily_cards_generated(count=7)
    metrics.notifications_sent(channel="sms", status="failed", count=2)

    assert sample("tarot_daily_cards_generated_total") - daily_before == 7
    failed = sample("tarot_notifications_sent_total", {"channel": "sms", "status": "failed"})
    assert failed - sent_before == 2


@pytest.mark.django_db
def test_metrics_page_lists_business_and_django_metrics_where_unprotected(
    client, settings, single_card_spread
):
    settings.METRICS_PROTECTED = False
    reading_create(user=None, spread=single_card_spread)
    client.get("/health")

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert f'tarot_readings_created_total{{spread="{single_card_spread.slug}"}}' in body
    for name in (
        "tarot_daily_cards_generated_total",
        "tarot_notifications_sent_total",
        "tarot_cache_errors_total",
        "django_http_requests_total_by_method_total",
    ):
        assert f"# TYPE {name} counter" in body


@pytest.fixture
def protected_metrics(settings):
    settings.METRICS_PROTECTED = True
    settings.METRICS_TOKEN = METRICS_TOKEN
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8", "fd00::/8"]


@pytest.mark.usefixtures("protected_metrics")
@pytest.mark.parametrize(
    ("headers", "remote_addr", "status"),
    [
        ({}, "203.0.113.9", 403),
        ({"Authorization": f"Bearer {METRICS_TOKEN}"}, "203.0.113.9", 200),
        ({"Authorization": "Bearer wrong"}, "203.0.113.9", 403),
        ({"Authorization": f"Basic {METRICS_TOKEN}"}, "203.0.113.9", 403),
        ({}, "10.20.30.40", 200),
        ({}, "fd00::1", 200),
        # A forwarded address is the client's claim, not where the connection comes from.
        ({"X-Forwarded-For": "10.20.30.40"}, "203.0.113.9", 403),
        # A wrong token is refused even from an allowed network.
        ({"Authorization": "Bearer wrong"}, "10.20.30.40", 403),
    ],
)
def test_protected_metrics_need_the_token_or_an_allowed_network(
    client, headers, remote_addr, status
):
    response = client.get("/metrics", headers=headers, REMOTE_ADDR=remote_addr)

    assert response.status_code == status
    if status == 403:
        assert response.json() == {
            "error": {
                "code": "forbidden",
                "message": "Metrics need a valid bearer token.",
                "fields": {},
            }
        }


def test_protected_metrics_refuse_everyone_when_neither_token_nor_network_is_set(client, settings):
    settings.METRICS_PROTECTED = True
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []

    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


PRODUCTION_METRICS_PROBE = """
import json
import django
django.setup()
from django.test import Client
client = Client()
results = {
    "anonymous": client.get("/metrics").status_code,
    "token": client.get("/metrics", headers={"Authorization": "Bearer TOKEN"}).status_code,
    "network": client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code,
    "page_over_http": client.get("/cards/").status_code,
    "health_over_http": client.get("/health").status_code,
    "ready_over_http_is_not_redirected": client.get("/ready").status_code != 301,
    "workers_over_http": client.get("/health/workers").status_code,
}
print(json.dumps(results))
""".replace("TOKEN", METRICS_TOKEN)


def test_production_settings_protect_metrics_and_exempt_probes_from_the_https_redirect():
    result = run_python(
        ["-c", PRODUCTION_METRICS_PROBE],
        settings_module="settings.production",
        environment={
            **PRODUCTION_ENVIRONMENT,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "METRICS_TOKEN": METRICS_TOKEN,
            "METRICS_ALLOWED_NETWORKS": "10.0.0.0/8",
            # Nothing listens here: readiness fails fast instead of waiting on real services.
            "DATABASE_URL": f"postgres://tarot@127.0.0.1:{closed_port()}/tarot",
            "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0",
        },
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "anonymous": 403,
        "token": 200,
        "network": 200,
        "page_over_http": 301,
        "health_over_http": 200,
        "ready_over_http_is_not_redirected": True,
        "workers_over_http": 403,
    }


# --- Cache errors degrade to a miss, logged and counted ---------------------------------------


@pytest.fixture
def unreachable_redis_cache(settings):
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    settings.CACHES = {
        **settings.CACHES,
        "unreachable": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                "IGNORE_EXCEPTIONS": True,
            },
        },
    }
    return caches["unreachable"]


def test_cache_errors_become_misses_and_are_counted_and_logged(unreachable_redis_cache, caplog):
    before = sample("tarot_cache_errors_total")

    with caplog.at_level(logging.ERROR, logger="django_redis.cache"):
        unreachable_redis_cache.set("key", "value")
        value = unreachable_redis_cache.get("key", default="miss")

    assert value == "miss"
    assert sample("tarot_cache_errors_total") - before == 2
    ignored = [record for record in caplog.records if record.name == "django_redis.cache"]
    assert len(ignored) == 2
    assert all(record.exc_info for record in ignored)


def test_a_cache_error_is_counted_once_however_often_logging_was_configured():
    logger = logging.getLogger("tests.ops.configured_twice")
    counters = [metrics.CacheErrorCounter(), metrics.CacheErrorCounter()]
    for counter in counters:
        logger.addFilter(counter)
    before = sample("tarot_cache_errors_total")
    try:
        logger.error("Exception ignored")
    finally:
        for counter in counters:
            logger.removeFilter(counter)

    assert sample("tarot_cache_errors_total") - before == 1


CACHE_ERROR_PROBE = """
import django
django.setup()
from django.core.cache import cache
from prometheus_client import REGISTRY
cache.set("key", "value")
print("value:", cache.get("key"))
print("errors:", REGISTRY.get_sample_value("tarot_cache_errors_total"))
"""


def test_production_settings_degrade_a_redis_outage_to_a_miss_with_a_json_error_line():
    result = run_python(
        ["-c", CACHE_ERROR_PROBE],
        settings_module="settings.production",
        environment={**PRODUCTION_ENVIRONMENT, "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0"},
    )

    assert result.returncode == 0, result.stderr
    assert "value: None" in result.stdout
    assert "errors: 2.0" in result.stdout
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    cache_lines = [line for line in lines if line["logger"] == "django_redis.cache"]
    assert len(cache_lines) == 2
    assert cache_lines[0]["level"] == "ERROR"
    assert "ConnectionError" in cache_lines[0]["exc_info"]


# --- The worker's /metrics ---------------------------------------------------------------------


@pytest.fixture
def worker_metrics_port(settings):
    settings.METRICS_PROTECTED = True
    settings.METRICS_TOKEN = METRICS_TOKEN
    settings.METRICS_ALLOWED_NETWORKS = []
    port = closed_port()
    server = metrics_endpoint.worker_metrics_serve(port=port, address="127.0.0.1")
    yield port
    server.shutdown()
    server.server_close()


def get(port: int, headers: dict[str, str]) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/metrics", headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def test_a_worker_serves_its_counters_to_the_token_holder_only(worker_metrics_port):
    metrics.daily_cards_generated(count=1)

    status, body = get(worker_metrics_port, {"Authorization": f"Bearer {METRICS_TOKEN}"})
    refused, _ = get(worker_metrics_port, {"Authorization": "Bearer wrong"})
    anonymous, _ = get(worker_metrics_port, {})

    assert status == 200
    assert "tarot_daily_cards_generated_total" in body
    assert "tarot_notifications_sent_total" in body
    assert (refused, anonymous) == (403, 403)
