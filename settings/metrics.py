"""Business metrics for Prometheus, and who may read ``/metrics``.

Every counter the dashboards and alert rules use (deploy/monitoring/) is defined here, once;
services call the small functions below rather than touching prometheus_client themselves.
django-prometheus adds the HTTP, database and cache metrics; its view renders them all.
"""

import hmac
import ipaddress
import logging
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django_prometheus.exports import ExportToDjangoView
from prometheus_client import Counter

READINGS_CREATED = Counter("tarot_readings_created", "Readings drawn, by spread.", ["spread"])
DAILY_CARDS_GENERATED = Counter(
    "tarot_daily_cards_generated", "Daily cards created by the daily job."
)
NOTIFICATIONS_SENT = Counter(
    "tarot_notifications_sent",
    "Daily-card notification attempts, by channel (email, sms) and status (sent, retrying, "
    "failed).",
    ["channel", "status"],
)
CACHE_ERRORS = Counter(
    "tarot_cache_errors",
    "Cache operations that failed and were answered as a miss (Redis unreachable or erroring).",
)


def reading_created(*, spread: str) -> None:
    READINGS_CREATED.labels(spread=spread).inc()


def daily_cards_generated(*, count: int) -> None:
    DAILY_CARDS_GENERATED.inc(count)


def notifications_sent(*, channel: str, status: str, count: int = 1) -> None:
    NOTIFICATIONS_SENT.labels(channel=channel, status=status).inc(count)


class CacheErrorCounter(logging.Filter):
    """Counts the errors django-redis ignores (DJANGO_REDIS_IGNORE_EXCEPTIONS).

    Attached to django-redis's logger: it logs each ignored exception, so every degraded cache
    call passes here once. The record is kept, so the error is logged as well as counted.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        CACHE_ERRORS.inc()
        return True


# --- Access to /metrics -----------------------------------------------------------------------


def bearer_token(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def token_matches(given: str, expected: str) -> bool:
    """Constant-time comparison; an unset (empty) expected token matches nothing."""
    return bool(given and expected) and hmac.compare_digest(given.encode(), expected.encode())


def _address_in(address: str, networks: Iterable[str]) -> bool:
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(client in ipaddress.ip_network(network, strict=False) for network in networks)


def metrics_access_allowed(request: HttpRequest) -> bool:
    """Open where METRICS_PROTECTED is off; else the bearer token or an allowed network.

    The network test uses the connection's own address (REMOTE_ADDR), never X-Forwarded-For,
    which any client can write. Prometheus scrapes the pods directly, so that address is its own.
    """
    if not settings.METRICS_PROTECTED:
        return True
    token = bearer_token(request)
    if token:
        return token_matches(token, settings.METRICS_TOKEN)
    return _address_in(request.META.get("REMOTE_ADDR", ""), settings.METRICS_ALLOWED_NETWORKS)


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not metrics_access_allowed(request):
        return JsonResponse(
            {"error": {"code": "forbidden", "message": "Metrics need a valid bearer token."}},
            status=403,
        )
    return ExportToDjangoView(request)
