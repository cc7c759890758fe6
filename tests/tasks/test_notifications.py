import datetime
import json
import smtplib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail

from readings import notifications
from readings.daily_services import (
    notification_chunk_send,
    notification_deliveries_expire,
    notification_due_user_ids,
)
from readings.models import DailyCard, NotificationDelivery
from readings.tasks import daily_notifications_send_task
from tests.concurrency import errors_of, run_at_once
from tests.tasks.conftest import at, subscriber

Status = NotificationDelivery.Status


def dispatch(capture) -> dict:
    """One beat run of the notification job, eagerly, with its queued chunks executed."""
    with capture(execute=True):
        return daily_notifications_send_task.delay().get()


def due_ids() -> list[int]:
    return [user_id for chunk in notification_due_user_ids(chunk_size=100) for user_id in chunk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "notification_time", "just_before", "at_time", "local_date"),
    [
        ("Asia/Seoul", datetime.time(8, 0), (2026, 11, 26, 22, 59), (2026, 11, 26, 23, 0), "11-27"),
        # UTC+14: 07:00 on the 27th is 17:00 UTC on the 26th.
        (
            "Pacific/Kiritimati",
            datetime.time(7, 0),
            (2026, 11, 26, 16, 59),
            (2026, 11, 26, 17, 0),
            "11-27",
        ),
        # UTC−11: 21:00 on the 26th is 08:00 UTC on the 27th.
        (
            "Pacific/Pago_Pago",
            datetime.time(21, 0),
            (2026, 11, 27, 7, 59),
            (2026, 11, 27, 8, 0),
            "11-26",
        ),
        # Spring forward: 02:30 never happens on 2026-03-08; the first minute past it is 03:00 EDT.
        (
            "America/New_York",
            datetime.time(2, 30),
            (2026, 3, 8, 6, 59),
            (2026, 3, 8, 7, 0),
            "03-08",
        ),
        (
            "America/New_York",
            datetime.time(8, 0),
            (2026, 3, 8, 11, 59),
            (2026, 3, 8, 12, 0),
            "03-08",
        ),
        # Fall back: 08:00 EST is 13:00 UTC (it was 12:00 UTC the day before).
        (
            "America/New_York",
            datetime.time(8, 0),
            (2026, 11, 1, 12, 59),
            (2026, 11, 1, 13, 0),
            "11-01",
        ),
    ],
)
def test_users_are_notified_from_their_local_notification_time(
    seeded_deck,
    django_capture_on_commit_callbacks,
    zone,
    notification_time,
    just_before,
    at_time,
    local_date,
):
    user = subscriber(time_zone=zone, notification_time=notification_time)

    with at(*just_before):
        dispatch(django_capture_on_commit_callbacks)
        assert mail.outbox == []
    with at(*at_time):
        dispatch(django_capture_on_commit_callbacks)

    delivery = NotificationDelivery.objects.get(user=user)
    expected_date = datetime.date(at_time[0], *map(int, local_date.split("-")))
    assert (delivery.local_date, delivery.status, delivery.attempts) == (
        expected_date,
        Status.SENT,
        1,
    )
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert DailyCard.objects.get(user=user).date == expected_date


@pytest.mark.django_db
def test_the_repeated_hour_of_the_autumn_change_notifies_once(
    seeded_deck, django_capture_on_commit_callbacks
):
    user = subscriber(time_zone="America/New_York", notification_time=datetime.time(1, 30))

    with at(2026, 11, 1, 5, 30):  # 01:30 EDT
        dispatch(django_capture_on_commit_callbacks)
    with at(2026, 11, 1, 6, 30):  # 01:30 EST, the same wall time again
        dispatch(django_capture_on_commit_callbacks)
        assert due_ids() == []

    assert len(mail.outbox) == 1
    assert NotificationDelivery.objects.get(user=user).local_date == datetime.date(2026, 11, 1)


@pytest.mark.django_db
def test_each_user_is_notified_at_most_once_a_day_and_again_the_next_day(
    seeded_deck, django_capture_on_commit_callbacks
):
    user = subscriber(notification_time=datetime.time(8, 0))

    with at(2026, 11, 26, 23, 0):
        first = dispatch(django_capture_on_commit_callbacks)
    with at(2026, 11, 26, 23, 5):
        second = dispatch(django_capture_on_commit_callbacks)
    with at(2026, 11, 27, 14, 55):  # 23:55 in Seoul, the same day
        dispatch(django_capture_on_commit_callbacks)
    with at(2026, 11, 27, 23, 0):  # 08:00 the next day
        dispatch(django_capture_on_commit_callbacks)

    assert first["users"] == 1 and second["users"] == 0
    assert len(mail.outbox) == 2
    assert list(
        NotificationDelivery.objects.filter(user=user)
        .order_by("local_date")
        .values_list("local_date", "status")
    ) == [(datetime.date(2026, 11, 27), Status.SENT), (datetime.date(2026, 11, 28), Status.SENT)]


@pytest.mark.django_db
def test_users_who_opted_out_or_are_inactive_are_never_notified(
    seeded_deck, django_capture_on_commit_callbacks
):
    opted_out = subscriber(notifications_enabled=False, notification_time=datetime.time(0, 0))
    inactive = subscriber(is_active=False, notification_time=datetime.time(0, 0))

    for hour in range(0, 24, 3):
        with at(2026, 11, 26, hour, 0):
            dispatch(django_capture_on_commit_callbacks)
            notification_chunk_send(user_ids=[opted_out.pk, inactive.pk])

    assert mail.outbox == []
    assert not NotificationDelivery.objects.exists()


@pytest.mark.django_db
def test_turning_notifications_off_after_being_queued_stops_the_send(seeded_deck):
    user = subscriber(notification_time=datetime.time(0, 0))
    with at(2026, 11, 26, 3, 0):
        queued = due_ids()
        user.notifications_enabled = False
        user.save()
        result = notification_chunk_send(user_ids=queued)

    assert queued == [user.pk]
    assert sum(result.counts.values()) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_transient_failure_is_retried_with_exponential_backoff_then_succeeds(
    seeded_deck, django_capture_on_commit_callbacks, flaky_email, settings
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 5
    settings.NOTIFICATION_RETRY_DELAY = 60
    user = subscriber(notification_time=datetime.time(8, 0))
    flaky_email.failures_left = 2
    start = datetime.datetime(2026, 11, 26, 23, 0, tzinfo=datetime.UTC)

    with at(2026, 11, 26, 23, 0):
        dispatch(django_capture_on_commit_callbacks)
    first = NotificationDelivery.objects.get(user=user)
    with at(2026, 11, 26, 23, 0, 59):  # before the backoff is over: nothing
        dispatch(django_capture_on_commit_callbacks)
    with at(2026, 11, 26, 23, 1):
        dispatch(django_capture_on_commit_callbacks)
    second = NotificationDelivery.objects.get(user=user)
    with at(2026, 11, 26, 23, 3):
        dispatch(django_capture_on_commit_callbacks)
    final = NotificationDelivery.objects.get(user=user)

    assert (first.status, first.attempts, first.next_attempt_at) == (
        Status.PENDING,
        1,
        start + datetime.timedelta(seconds=60),
    )
    assert "Connection unexpectedly closed" in first.last_error
    assert (second.attempts, second.next_attempt_at) == (2, start + datetime.timedelta(seconds=180))
    assert (final.status, final.attempts, final.last_error) == (Status.SENT, 3, "")
    assert final.sent_at == start + datetime.timedelta(minutes=3)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_chunk_task_schedules_its_retry_for_when_the_backoff_ends(
    seeded_deck, flaky_email, scheduled_retries
):
    from readings import tasks

    users = [subscriber(notification_time=datetime.time(0, 0)) for _ in range(2)]
    flaky_email.failures_left = 2

    with at(2026, 11, 26, 3, 0):
        summary = tasks.daily_notifications_send_chunk_task.run(user_ids=[u.pk for u in users])

    assert summary == {"email retrying": 2}
    retry_at = datetime.datetime(2026, 11, 26, 3, 1, tzinfo=datetime.UTC)
    assert scheduled_retries == [
        {
            "kwargs": {"user_ids": [u.pk for u in users]},
            "eta": retry_at,
            "expires": retry_at + datetime.timedelta(minutes=15),
        }
    ]


@pytest.mark.django_db
def test_when_every_attempt_fails_the_delivery_ends_failed_with_the_error(
    seeded_deck, django_capture_on_commit_callbacks, flaky_email, settings
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    user = subscriber(notification_time=datetime.time(0, 0))
    flaky_email.failures_left = 100
    flaky_email.error = smtplib.SMTPDataError(451, b"Temporary local problem")

    for minute in range(0, 60, 5):
        with at(2026, 11, 26, 3, minute):
            dispatch(django_capture_on_commit_callbacks)

    delivery = NotificationDelivery.objects.get(user=user)
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 3)
    assert "451" in delivery.last_error and "Temporary local problem" in delivery.last_error
    assert flaky_email.failures_left == 97
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_permanent_refusal_fails_at_once(seeded_deck, flaky_email):
    user = subscriber(notification_time=datetime.time(0, 0))
    flaky_email.failures_left = 1
    flaky_email.error = smtplib.SMTPRecipientsRefused({user.email: (550, b"No such user")})

    with at(2026, 11, 26, 3, 0):
        result = notification_chunk_send(user_ids=[user.pk])

    delivery = NotificationDelivery.objects.get(user=user)
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 1)
    assert "No such user" in delivery.last_error
    assert dict(result.counts) == {("email", "failed"): 1}


@pytest.mark.django_db
def test_a_claim_left_by_a_crashed_worker_is_retried_once_its_lease_is_over(
    seeded_deck, django_capture_on_commit_callbacks, settings
):
    settings.NOTIFICATION_CLAIM_TIMEOUT = 600
    user = subscriber(notification_time=datetime.time(0, 0))
    crash = datetime.datetime(2026, 11, 26, 3, 0, tzinfo=datetime.UTC)
    # What a worker killed between claim and send leaves behind.
    NotificationDelivery.objects.create(
        user=user,
        local_date=datetime.date(2026, 11, 26),
        channel="email",
        attempts=1,
        next_attempt_at=crash,
        claimed_until=crash + datetime.timedelta(seconds=600),
    )

    with at(2026, 11, 26, 3, 5):
        dispatch(django_capture_on_commit_callbacks)
        notification_chunk_send(user_ids=[user.pk])
        assert mail.outbox == []
    with at(2026, 11, 26, 3, 10):
        dispatch(django_capture_on_commit_callbacks)
        notification_chunk_send(user_ids=[user.pk])

    delivery = NotificationDelivery.objects.get(user=user)
    assert (delivery.status, delivery.attempts, delivery.claimed_until) == (Status.SENT, 2, None)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_error_that_is_not_a_send_failure_frees_the_claim_and_counts_as_an_attempt(
    seeded_deck, flaky_email
):
    user = subscriber(notification_time=datetime.time(0, 0))
    flaky_email.failures_left = 1
    flaky_email.error = KeyError("template bug")

    with at(2026, 11, 26, 3, 0), pytest.raises(KeyError):
        notification_chunk_send(user_ids=[user.pk])

    delivery = NotificationDelivery.objects.get(user=user)
    assert (delivery.status, delivery.attempts, delivery.claimed_until) == (Status.PENDING, 1, None)
    assert "KeyError" in delivery.last_error


@pytest.mark.django_db
def test_stale_pending_deliveries_are_closed_as_failed(seeded_deck, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    stopped_on_last_attempt = subscriber()
    from_two_days_ago = subscriber()
    still_running = subscriber()
    now = datetime.datetime(2026, 11, 26, 3, 0, tzinfo=datetime.UTC)
    today = datetime.date(2026, 11, 26)
    NotificationDelivery.objects.create(
        user=stopped_on_last_attempt,
        local_date=today,
        channel="email",
        attempts=2,
        next_attempt_at=now,
        claimed_until=now - datetime.timedelta(seconds=1),
    )
    NotificationDelivery.objects.create(
        user=from_two_days_ago,
        local_date=datetime.date(2026, 11, 24),
        channel="email",
        attempts=1,
        next_attempt_at=now,
    )
    NotificationDelivery.objects.create(
        user=still_running,
        local_date=today,
        channel="email",
        attempts=2,
        next_attempt_at=now,
        claimed_until=now + datetime.timedelta(seconds=30),
    )

    with at(2026, 11, 26, 3, 0):
        assert notification_deliveries_expire() == 2

    statuses = dict(NotificationDelivery.objects.values_list("user_id", "status"))
    assert statuses == {
        stopped_on_last_attempt.pk: Status.FAILED,
        from_two_days_ago.pk: Status.FAILED,
        still_running.pk: Status.PENDING,
    }


@pytest.mark.django_db
def test_sms_users_get_a_short_text_in_their_language_through_the_mock_backend(seeded_deck):
    user = subscriber(
        notification_channel="sms", language="en", notification_time=datetime.time(0, 0)
    )

    with at(2026, 11, 26, 3, 0):
        result = notification_chunk_send(user_ids=[user.pk])

    daily = DailyCard.objects.select_related("card").get(user=user)
    (message,) = notifications.sms_outbox
    assert message.phone_number == "+821012345678"
    assert daily.card.name_en in message.text
    assert f"http://127.0.0.1:8000/en/cards/{daily.card.slug}/" in message.text
    assert message.idempotency_key == f"daily-card-{NotificationDelivery.objects.get().pk}"
    assert dict(result.counts) == {("sms", "sent"): 1}
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_sms_user_without_a_phone_number_fails_with_the_reason(seeded_deck):
    user = subscriber(
        notification_channel="sms", phone_number="", notification_time=datetime.time(0, 0)
    )

    with at(2026, 11, 26, 3, 0):
        notification_chunk_send(user_ids=[user.pk])

    delivery = NotificationDelivery.objects.get(user=user)
    assert (delivery.status, delivery.last_error) == (
        Status.FAILED,
        "No phone number for SMS notifications.",
    )


class SmsProvider(BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[dict] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append({"headers": dict(self.headers), "body": json.loads(body)})
        self.send_response(type(self).answers.pop(0))
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sms_provider(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), SmsProvider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    SmsProvider.answers, SmsProvider.received = [], []
    settings.SMS_BACKEND = "http"
    settings.SMS_API_URL = f"http://127.0.0.1:{server.server_port}/messages"
    settings.SMS_API_KEY = "test-key"
    yield SmsProvider
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_the_http_sms_backend_posts_to_the_provider_and_retries_its_5xx(seeded_deck, sms_provider):
    user = subscriber(notification_channel="sms", notification_time=datetime.time(0, 0))
    sms_provider.answers = [503, 202]

    with at(2026, 11, 26, 3, 0):
        notification_chunk_send(user_ids=[user.pk])
    after_503 = NotificationDelivery.objects.get(user=user)
    with at(2026, 11, 26, 3, 1):
        notification_chunk_send(user_ids=[user.pk])

    delivery = NotificationDelivery.objects.get(user=user)
    assert (after_503.status, after_503.last_error) == (Status.PENDING, "SMS provider answered 503")
    assert (delivery.status, delivery.attempts) == (Status.SENT, 2)
    first, second = sms_provider.received
    assert second["headers"]["Authorization"] == "Bearer test-key"
    assert first["headers"]["Idempotency-Key"] == second["headers"]["Idempotency-Key"]
    assert second["body"]["to"] == "+821012345678"
    assert DailyCard.objects.get(user=user).card.name_ko in second["body"]["text"]


@pytest.mark.django_db
def test_the_http_sms_backend_gives_up_on_a_4xx(seeded_deck, sms_provider):
    user = subscriber(notification_channel="sms", notification_time=datetime.time(0, 0))
    sms_provider.answers = [400]

    with at(2026, 11, 26, 3, 0):
        notification_chunk_send(user_ids=[user.pk])

    delivery = NotificationDelivery.objects.get(user=user)
    assert (delivery.status, delivery.last_error) == (Status.FAILED, "SMS provider answered 400")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("backend", "url", "key", "message"),
    [
        ("http", "", "", "SMS is not configured"),
        ("http", "ftp://sms.example/send", "key", "SMS is not configured"),
        ("carrier-pigeon", "", "", "Unknown SMS_BACKEND 'carrier-pigeon'"),
    ],
)
def test_sms_stays_off_until_the_provider_is_configured(
    seeded_deck, settings, backend, url, key, message
):
    settings.SMS_BACKEND, settings.SMS_API_URL, settings.SMS_API_KEY = backend, url, key
    user = subscriber(notification_channel="sms", notification_time=datetime.time(0, 0))

    with at(2026, 11, 26, 3, 0):
        notification_chunk_send(user_ids=[user.pk])

    delivery = NotificationDelivery.objects.get(user=user)
    assert delivery.status == Status.FAILED
    assert delivery.last_error.startswith(message)


@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_the_same_users_send_each_message_once(postgresql, seeded_deck):
    users = [subscriber(notification_time=datetime.time(0, 0)) for _ in range(20)]
    user_ids = [user.pk for user in users]
    results = run_at_once(lambda _: notification_chunk_send(user_ids=user_ids), count=4)

    assert errors_of(results) == []
    assert sorted(message.to[0] for message in mail.outbox) == sorted(u.email for u in users)
    assert set(NotificationDelivery.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}
