"""Business metrics for Prometheus: every counter the dashboards and alert rules use
(deploy/monitoring/) is defined here, once; services call the small functions below rather than
touching prometheus_client themselves. django-prometheus adds the HTTP, database and cache
metrics; the ``/metrics`` view (settings/metrics.py) renders them all.
"""

import logging

from prometheus_client import Counter, Gauge

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
CACHE_CALLS_SKIPPED = Counter(
    "tarot_cache_calls_skipped",
    "Cache calls answered as a miss without asking Redis: its circuit breaker was open after "
    "Redis failed (core/redis_cache.py).",
)
RESPONSE_CACHE = Counter(
    "tarot_response_cache",
    "Anonymous GETs answered from a worker's kept responses (hit), and responses kept (kept).",
    ["result"],
)

# "max": each Celery pool process writes its own file under PROMETHEUS_MULTIPROC_DIR and the
# default mode ("all") would give one series per pid; a timestamp only grows, so the largest
# across processes, dead ones included, is the pod's last success.
JOB_LAST_SUCCESS = Gauge(
    "tarot_job_last_success_timestamp_seconds",
    "Unix time at which a scheduled job (daily_cards, daily_notifications) last completed.",
    ["task"],
    multiprocess_mode="max",
)


def reading_created(*, spread: str) -> None:
    READINGS_CREATED.labels(spread=spread).inc()


def daily_cards_generated(*, count: int) -> None:
    DAILY_CARDS_GENERATED.inc(count)


def notifications_sent(*, channel: str, status: str, count: int = 1) -> None:
    NOTIFICATIONS_SENT.labels(channel=channel, status=status).inc(count)


def job_succeeded(*, task: str) -> None:
    """Beat's heartbeat: the alert TarotScheduledJobStale fires when this stops advancing."""
    JOB_LAST_SUCCESS.labels(task=task).set_to_current_time()


def cache_call_skipped() -> None:
    CACHE_CALLS_SKIPPED.inc()


def response_cache_used(*, hit: bool) -> None:
    RESPONSE_CACHE.labels(result="hit" if hit else "kept").inc()


class CacheErrorCounter(logging.Filter):
    """Counts the errors django-redis ignores (DJANGO_REDIS_IGNORE_EXCEPTIONS).

    Attached to django-redis's logger: it logs each ignored exception, so every degraded cache
    call passes here. The record is kept, so the error is logged as well as counted. Configuring
    logging again (Django, then Celery's setup_logging in a worker) adds another instance to the
    logger, so each record is marked and counted once.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        from .redis_cache import CacheCircuitOpen

        error = record.exc_info[1] if record.exc_info else None
        if isinstance(getattr(error, "__cause__", None), CacheCircuitOpen):
            # Not sent to Redis at all: counted as skipped, and one log line per call would
            # flood the logs for as long as Redis is away.
            return False
        if not getattr(record, "_cache_error_counted", False):
            record._cache_error_counted = True
            CACHE_ERRORS.inc()
        return True
