"""Celery tasks for the daily jobs: thin wrappers around ``readings.daily_services``, which
knows nothing of Celery: the tasks do the queuing.

Every task is acknowledged only after it ran (``acks_late``) and is put back on the queue when
its worker process dies (``reject_on_worker_lost``); the services make a second run harmless.
Database outages are retried with backoff; the notification tasks go to the ``notifications``
queue (``CELERY_TASK_ROUTES``).
"""

import datetime
import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction

from core import metrics

from . import daily_services, services
from .daily_services import NotificationChunkResult

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# A chunk left in the queue this long is dropped: the next dispatch queues its users again.
CHUNK_EXPIRES_SECONDS = 15 * 60

# A run longer than the 15-minute beat interval is cut; the next one continues where it stopped.
daily_job_options = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": DATABASE_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
}


@shared_task(**daily_job_options, soft_time_limit=13 * 60, time_limit=14 * 60)
def daily_cards_generate_task(on_date: str | None = None) -> dict:
    """Create the missing daily cards: each user's local today, or every user's ``on_date``."""
    result = daily_services.daily_cards_generate(
        on_date=datetime.date.fromisoformat(on_date) if on_date else None
    )
    summary = {
        "dates": [date.isoformat() for date in result.dates],
        "users": result.users,
        "created": result.created,
        "chunks": result.chunks,
    }
    logger.info("Daily cards generated: %s", summary)
    metrics.job_succeeded(task="daily_cards")
    return summary


@shared_task(**daily_job_options)
def daily_notifications_send_task() -> dict:
    """Queue a chunk task for every chunk of users due for their daily-card notification, once
    the transaction commits."""
    due = daily_services.daily_notifications_due()
    for user_ids in due.chunks:
        transaction.on_commit(
            lambda user_ids=user_ids: daily_notifications_send_chunk_task.delay(user_ids=user_ids)
        )
    summary = {"users": due.users, "chunks": len(due.chunks), "expired": due.expired}
    logger.info("Daily notifications queued: %s", summary)
    metrics.job_succeeded(task="daily_notifications")
    return summary


def notification_chunk_send_with_retries(*, user_ids: list[int]) -> NotificationChunkResult:
    """Notify these users (those still due) in this process, and queue a chunk task for each
    batch of transient failures, for when its backoff ends. The chunk task and the
    ``send_daily_notifications`` command both send this way, so a failure is retried whichever
    of them met it."""
    result = daily_services.notification_chunk_send(user_ids=user_ids)
    for retry_at, retry_user_ids in result.retries:
        daily_notifications_send_chunk_task.apply_async(
            kwargs={"user_ids": retry_user_ids},
            eta=retry_at,
            expires=retry_at + datetime.timedelta(seconds=CHUNK_EXPIRES_SECONDS),
        )
    return result


@shared_task(**daily_job_options, expires=CHUNK_EXPIRES_SECONDS)
def daily_notifications_send_chunk_task(*, user_ids: list[int]) -> dict:
    """Notify these users (those still due); schedule the backed-off retries of failures."""
    result = notification_chunk_send_with_retries(user_ids=user_ids)
    summary = {f"{channel} {outcome}": count for (channel, outcome), count in result.counts.items()}
    logger.info("Daily notifications sent for %d users: %s", len(user_ids), summary)
    return summary


@shared_task(**daily_job_options, soft_time_limit=50 * 60, time_limit=55 * 60)
def anonymous_readings_purge_task() -> dict:
    """Delete the anonymous readings past their retention, and the idempotency keys past
    theirs; idempotent, batched."""
    summary = {
        "deleted": services.anonymous_readings_purge(),
        "idempotency_keys_deleted": services.reading_idempotency_keys_purge(),
    }
    logger.info("Anonymous readings purged: %s", summary)
    return summary
