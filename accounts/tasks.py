from celery import shared_task
from django.core.management import call_command


@shared_task(acks_late=True, ignore_result=True)
def expired_tokens_flush_task() -> None:
    """Delete expired JWT refresh tokens (and their blacklist rows); safe to run any time."""
    call_command("flushexpiredtokens")
