import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from readings.models import DailyCard, NotificationDelivery
from readings.tasks import daily_notifications_send_chunk_task
from tests.accounts.factories import UserFactory
from tests.subprocesses import run_python
from tests.tasks.conftest import at, subscriber


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_generate_daily_cards_prints_a_line_per_chunk_and_the_total(seeded_deck):
    UserFactory.create_batch(3)

    output = run("generate_daily_cards", "--date", "2026-11-27", "--chunk-size", "2")

    assert output.splitlines() == [
        "chunk 1 (2026-11-27): 2 users without a card, 2 created",
        "chunk 2 (2026-11-27): 1 users without a card, 1 created",
        "3 daily cards created for 3 users (dates: 2026-11-27).",
    ]
    assert DailyCard.objects.count() == 3
    assert run("generate_daily_cards", "--date", "2026-11-27").splitlines() == [
        "0 daily cards created for 0 users (dates: 2026-11-27)."
    ]


@pytest.mark.django_db
def test_generate_daily_cards_dry_run_writes_nothing(seeded_deck):
    with at(2026, 11, 26, 10, 30):
        UserFactory(time_zone="Pacific/Kiritimati")
        UserFactory(time_zone="Asia/Seoul")
        output = run("generate_daily_cards", "--dry-run")

    assert output.splitlines()[-1] == (
        "2 daily cards would be created for 2 users (dates: 2026-11-26, 2026-11-27). "
        "Dry run: nothing was written."
    )
    assert not DailyCard.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["2026-13-01", "27/11/2026", "tomorrow", ""])
def test_generate_daily_cards_refuses_a_bad_date(bad):
    with pytest.raises(CommandError, match="--date must be a calendar date like 2026-11-27"):
        run("generate_daily_cards", "--date", bad)


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["0", "-5", "many"])
def test_generate_daily_cards_refuses_a_bad_chunk_size(bad):
    with pytest.raises(CommandError, match="--chunk-size must be a whole number of at least 1"):
        run("generate_daily_cards", "--chunk-size", bad)


@pytest.mark.django_db
def test_generate_daily_cards_without_a_deck_says_how_to_make_one():
    UserFactory()

    with pytest.raises(CommandError, match="seed_deck"):
        run("generate_daily_cards", "--date", "2026-11-27")


def test_a_bad_argument_exits_non_zero_from_the_command_line():
    result = run_python(["manage.py", "generate_daily_cards", "--date", "2026-02-30"])

    assert result.returncode == 1
    assert "--date must be a calendar date like 2026-11-27, not '2026-02-30'." in result.stderr


@pytest.mark.django_db
def test_send_daily_notifications_prints_counts_per_channel_and_status(seeded_deck, settings):
    settings.SMS_BACKEND = "http"  # not configured: SMS fails, visibly
    subscriber(notification_time=datetime.time(0, 0))
    subscriber(notification_time=datetime.time(0, 0))
    subscriber(notification_channel="sms", notification_time=datetime.time(0, 0))
    subscriber(notification_time=datetime.time(23, 0))

    with at(2026, 11, 26, 3, 0):
        output = run("send_daily_notifications")
        again = run("send_daily_notifications")

    assert output.splitlines() == [
        "chunk 1: 3 users",
        "channel       sent  retrying    failed   skipped",
        "email            2         0         0         0",
        "sms              0         0         1         0",
        "2 notifications sent.",
    ]
    assert again.splitlines()[-1] == "0 notifications sent."
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_send_daily_notifications_retries_a_transient_failure_like_the_beat_job(
    seeded_deck, flaky_email, scheduled_retries
):
    user = subscriber(notification_time=datetime.time(0, 0))
    flaky_email.failures_left = 1

    with at(2026, 11, 26, 3, 0):
        output = run("send_daily_notifications")
    retry_at = datetime.datetime(2026, 11, 26, 3, 1, tzinfo=datetime.UTC)
    assert scheduled_retries == [
        {
            "kwargs": {"user_ids": [user.pk]},
            "eta": retry_at,
            "expires": retry_at + datetime.timedelta(minutes=15),
        }
    ]
    with at(2026, 11, 26, 3, 1):
        daily_notifications_send_chunk_task.apply(kwargs=scheduled_retries[0]["kwargs"])

    assert output.splitlines()[1:3] == [
        "channel       sent  retrying    failed   skipped",
        "email            0         1         0         0",
    ]
    delivery = NotificationDelivery.objects.get(user=user)
    assert (delivery.status, delivery.attempts) == (NotificationDelivery.Status.SENT, 2)
    assert [message.to for message in mail.outbox] == [[user.email]]


@pytest.mark.django_db
def test_send_daily_notifications_dry_run_counts_per_channel(seeded_deck):
    subscriber(notification_time=datetime.time(0, 0))
    subscriber(notification_channel="sms", notification_time=datetime.time(0, 0))

    with at(2026, 11, 26, 3, 0):
        output = run("send_daily_notifications", "--dry-run")

    assert output == "2 users would be notified (email 1, sms 1). Dry run: nothing was sent.\n"
    assert not NotificationDelivery.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_send_daily_notifications_for_one_user_says_why_they_are_not_due(seeded_deck):
    early = subscriber(email="Early@Example.com", notification_time=datetime.time(8, 0))
    subscriber(notification_time=datetime.time(0, 0))

    with at(2026, 11, 26, 22, 30):  # 07:30 in Seoul
        not_yet = run("send_daily_notifications", "--user", "early@example.com")
    with at(2026, 11, 26, 23, 0):
        sent = run("send_daily_notifications", "--user", "EARLY@example.com")
        already = run("send_daily_notifications", "--user", early.email)

    assert not_yet == (
        "early@example.com is not due: their notification time 08:00 has not come yet "
        "(it is 07:30 in Asia/Seoul).\n"
    )
    assert sent.splitlines()[-1] == "1 notifications sent."
    assert already == "early@example.com is not due: already sent today by email at 23:00 UTC.\n"
    assert [message.to for message in mail.outbox] == [["early@example.com"]]


@pytest.mark.django_db
def test_send_daily_notifications_refuses_an_unknown_user():
    with pytest.raises(
        CommandError, match=r"No user has the email address 'nobody@example\.com'\."
    ):
        run("send_daily_notifications", "--user", "nobody@example.com")
