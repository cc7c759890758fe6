import datetime

import pytest
import time_machine

from readings import notifications
from tests.accounts.factories import UserFactory
from tests.tasks.email_backends import FlakyEmailBackend

UTC = datetime.UTC


@pytest.fixture(autouse=True)
def eager_celery(settings):
    """Tasks run in-process here, even in the service run where a Redis broker is configured;
    the live worker tests switch this off again."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    notifications.sms_outbox.clear()
    yield
    notifications.sms_outbox.clear()


@pytest.fixture
def flaky_email(settings):
    settings.EMAIL_BACKEND = "tests.tasks.email_backends.FlakyEmailBackend"
    FlakyEmailBackend.failures_left = 0
    FlakyEmailBackend.error = None
    yield FlakyEmailBackend
    FlakyEmailBackend.failures_left = 0
    FlakyEmailBackend.error = None


@pytest.fixture
def scheduled_retries(monkeypatch) -> list[dict]:
    """The options of every chunk task queued for later (the retries), instead of queuing it:
    eager Celery would run it at once, before its backoff is over."""
    from readings import tasks

    scheduled: list[dict] = []
    monkeypatch.setattr(
        tasks.daily_notifications_send_chunk_task,
        "apply_async",
        lambda **options: scheduled.append(options),
    )
    return scheduled


def at(*args) -> time_machine.travel:
    """Freeze the clock at a UTC instant: ``with at(2026, 3, 8, 7, 0): ...``."""
    return time_machine.travel(datetime.datetime(*args, tzinfo=UTC), tick=False)


def subscriber(**fields):
    """A user who opted in to daily notifications (by email at 08:00 Seoul time unless told)."""
    fields.setdefault("notifications_enabled", True)
    if fields.get("notification_channel") == "sms":
        fields.setdefault("phone_number", "+821012345678")
    return UserFactory(**fields)
