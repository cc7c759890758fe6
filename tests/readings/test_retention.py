"""Anonymous readings are deleted 30 days after they were drawn; signed-in users' are kept."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from readings.models import DrawnCard, Reading
from readings.services import anonymous_readings_purge, reading_create
from readings.tasks import anonymous_readings_purge_task
from settings.celery import app
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

# A leap day, one microsecond before midnight in UTC and well past it in Seoul: a purge that
# counted calendar days in either zone, or rounded to whole seconds, would draw the line wrong.
NOW = datetime.datetime(2028, 2, 29, 23, 59, 59, 999_999, tzinfo=datetime.UTC)
RETENTION = datetime.timedelta(days=30)


def drawn_at(instant, spread, *, user=None) -> Reading:
    with time_machine.travel(instant, tick=False):
        return reading_create(user=user, spread=spread)


@pytest.fixture
def readings(single_card_spread):
    one_microsecond = datetime.timedelta(microseconds=1)
    return {
        "old anonymous": drawn_at(NOW - RETENTION * 3, single_card_spread),
        "just expired": drawn_at(NOW - RETENTION - one_microsecond, single_card_spread),
        "exactly 30 days": drawn_at(NOW - RETENTION, single_card_spread),
        "recent anonymous": drawn_at(NOW - datetime.timedelta(days=1), single_card_spread),
        "old signed-in": drawn_at(NOW - RETENTION * 3, single_card_spread, user=UserFactory()),
    }


def remaining() -> set[int]:
    return set(Reading.objects.values_list("pk", flat=True))


def test_anonymous_readings_older_than_30_days_are_deleted_with_their_cards(readings):
    kept = {readings[name].pk for name in ("exactly 30 days", "recent anonymous", "old signed-in")}

    with time_machine.travel(NOW, tick=False):
        deleted = anonymous_readings_purge()

    assert deleted == 2
    assert remaining() == kept
    assert set(DrawnCard.objects.values_list("reading_id", flat=True)) == kept


def test_purging_twice_deletes_nothing_more(readings):
    with time_machine.travel(NOW, tick=False):
        first = anonymous_readings_purge()
        second = anonymous_readings_purge()

    assert (first, second) == (2, 0)
    assert len(remaining()) == 3


def test_deletes_in_batches_of_a_bounded_size(single_card_spread):
    for days in range(31, 36):
        drawn_at(NOW - datetime.timedelta(days=days), single_card_spread)

    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
        deleted = anonymous_readings_purge(batch_size=2)

    assert deleted == 5
    assert remaining() == set()
    id_batches = [q["sql"] for q in queries if q["sql"].endswith("LIMIT 2")]
    # Three batches of at most two ids, then the empty look that ends the run; every other
    # statement names its batch's ids.
    assert len(id_batches) == 4
    reads_and_deletes = [q["sql"] for q in queries if q["sql"].startswith(("SELECT", "DELETE"))]
    assert all(" IN (" in sql for sql in reads_and_deletes if sql not in id_batches)


def test_the_task_purges_and_is_scheduled_daily(readings, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    with time_machine.travel(NOW, tick=False):
        result = anonymous_readings_purge_task.delay().get()

    assert result == {"deleted": 2, "idempotency_keys_deleted": 0}
    assert len(remaining()) == 3
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "readings.tasks.anonymous_readings_purge_task" in scheduled


def test_the_command_dry_run_counts_and_deletes_nothing(readings):
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("purge_anonymous_readings", "--dry-run", stdout=out)

    assert out.getvalue().strip() == (
        "2 anonymous readings drawn before 2028-01-30 23:59:59.999999+00:00 would be deleted. "
        "Dry run: nothing was deleted."
    )
    assert len(remaining()) == 5


def test_the_command_deletes_and_says_how_many(readings):
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("purge_anonymous_readings", "--batch-size", "1", stdout=out)

    assert out.getvalue().strip() == (
        "2 anonymous readings drawn before 2028-01-30 23:59:59.999999+00:00 deleted."
    )
    assert len(remaining()) == 3


@pytest.mark.parametrize(
    ("language", "statement"),
    [
        ("ko", "로그인하지 않고 뽑은 리딩은 30일이 지나면 삭제돼요."),
        ("en", "Readings drawn without signing in are deleted after 30 days."),
    ],
)
def test_anonymous_visitors_are_told_on_the_draw_form_and_their_reading(
    client, single_card_spread, language, statement
):
    with translation.override(language):
        new_reading_url = reverse("readings:new")
    form = client.get(new_reading_url)
    drawn = client.post(new_reading_url, {"spread": "single-card"})
    reading = client.get(drawn.url)

    assert statement in form.content.decode()
    assert statement in reading.content.decode()


def test_signed_in_visitors_are_not_told_their_readings_expire(client, single_card_spread):
    client.force_login(UserFactory())

    page = client.get(reverse("readings:new"))

    assert "30일" not in page.content.decode()
