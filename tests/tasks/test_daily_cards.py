import datetime
import threading

import pytest
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from readings import daily_services
from readings.daily_services import daily_cards_generate, notification_due_user_ids
from readings.models import DailyCard
from readings.services import daily_card_get_or_create
from readings.tasks import daily_cards_generate_task
from tests.accounts.factories import UserFactory
from tests.concurrency import errors_of, run_at_once
from tests.tasks.conftest import at

DAY = datetime.date(2026, 11, 27)


def cards_by_user(on_date=None) -> dict[int, tuple[int, bool]]:
    rows = DailyCard.objects.all() if on_date is None else DailyCard.objects.filter(date=on_date)
    return {row.user_id: (row.card_id, row.is_reversed) for row in rows}


@pytest.mark.django_db
def test_every_active_user_gets_a_card_for_their_own_local_date(seeded_deck):
    # 2026-11-26 10:30 UTC: already the 27th in Kiritimati (UTC+14), the 26th in Seoul and still
    # the 25th in Pago Pago (UTC−11).
    with at(2026, 11, 26, 10, 30):
        seoul = UserFactory(time_zone="Asia/Seoul")
        kiritimati = UserFactory(time_zone="Pacific/Kiritimati")
        pago_pago = UserFactory(time_zone="Pacific/Pago_Pago")
        new_york = UserFactory(time_zone="America/New_York")
        UserFactory(time_zone="Asia/Seoul", is_active=False)

        result = daily_cards_generate()

    dates = dict(DailyCard.objects.values_list("user_id", "date"))
    assert dates == {
        seoul.pk: datetime.date(2026, 11, 26),
        kiritimati.pk: datetime.date(2026, 11, 27),
        pago_pago.pk: datetime.date(2026, 11, 25),
        new_york.pk: datetime.date(2026, 11, 26),
    }
    assert (result.users, result.created) == (4, 4)
    assert result.dates == [
        datetime.date(2026, 11, 25),
        datetime.date(2026, 11, 26),
        datetime.date(2026, 11, 27),
    ]


@pytest.mark.django_db
def test_users_in_an_unknown_time_zone_are_skipped_by_both_daily_jobs(seeded_deck):
    known = UserFactory(notifications_enabled=True, notification_time=datetime.time(0, 0))
    lost = UserFactory(notifications_enabled=True, notification_time=datetime.time(0, 0))
    # Only a row written around the form's validation can hold it, e.g. a zone a later tzdata
    # release dropped.
    type(lost).objects.filter(pk=lost.pk).update(time_zone="Mars/Olympus_Mons")

    with at(2026, 11, 26, 10, 30):
        result = daily_cards_generate()
        due = [user_id for chunk in notification_due_user_ids(chunk_size=10) for user_id in chunk]

    assert (result.users, list(cards_by_user())) == (1, [known.pk])
    assert due == [known.pk]


@pytest.mark.django_db
def test_a_new_local_day_starts_exactly_at_local_midnight(seeded_deck):
    with at(2026, 11, 26, 9, 59):
        kiritimati = UserFactory(time_zone="Pacific/Kiritimati")
        daily_cards_generate()
    with at(2026, 11, 26, 10, 0):  # 00:00 on the 27th at UTC+14
        daily_cards_generate()
        daily_cards_generate()

    assert sorted(DailyCard.objects.filter(user=kiritimati).values_list("date", flat=True)) == [
        datetime.date(2026, 11, 26),
        datetime.date(2026, 11, 27),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # Spring forward: 01:59 EST is followed by 03:00 EDT on 2026-03-08.
        ((2026, 3, 8, 4, 59), datetime.date(2026, 3, 7)),
        ((2026, 3, 8, 5, 0), datetime.date(2026, 3, 8)),
        ((2026, 3, 8, 7, 0), datetime.date(2026, 3, 8)),
        # Fall back: 01:00–02:00 happens twice on 2026-11-01; midnight is still 04:00 UTC.
        ((2026, 11, 1, 3, 59), datetime.date(2026, 10, 31)),
        ((2026, 11, 1, 4, 0), datetime.date(2026, 11, 1)),
        ((2026, 11, 2, 4, 59), datetime.date(2026, 11, 1)),
        ((2026, 11, 2, 5, 0), datetime.date(2026, 11, 2)),
    ],
)
def test_new_york_dates_across_the_daylight_saving_changes(seeded_deck, instant, expected):
    with at(*instant):
        user = UserFactory(time_zone="America/New_York")
        daily_cards_generate()

    assert list(DailyCard.objects.filter(user=user).values_list("date", flat=True)) == [expected]


@pytest.mark.django_db
def test_running_twice_creates_nothing_more_and_changes_nothing(seeded_deck):
    users = UserFactory.create_batch(12)

    first = daily_cards_generate(on_date=DAY, chunk_size=5)
    cards = cards_by_user()
    second = daily_cards_generate(on_date=DAY, chunk_size=5)

    assert (first.created, first.chunks) == (12, 3)
    assert (second.users, second.created, second.chunks) == (0, 0, 0)
    assert cards_by_user() == cards
    assert set(cards) == {user.pk for user in users}


@pytest.mark.django_db
def test_cards_drawn_on_first_view_are_kept_and_the_view_later_sees_the_jobs_card(seeded_deck):
    viewed_first, not_viewed = UserFactory(), UserFactory()
    lazy = daily_card_get_or_create(user=viewed_first, on_date=DAY)

    result = daily_cards_generate(on_date=DAY)
    later_view = daily_card_get_or_create(user=not_viewed, on_date=DAY)

    assert result.created == 1
    kept = DailyCard.objects.get(user=viewed_first, date=DAY)
    assert (kept.pk, kept.card_id, kept.is_reversed) == (lazy.pk, lazy.card_id, lazy.is_reversed)
    job_card = DailyCard.objects.get(user=not_viewed, date=DAY)
    assert (later_view.pk, later_view.card_id) == (job_card.pk, job_card.card_id)


@pytest.mark.django_db
def test_a_date_given_explicitly_skips_users_who_joined_after_it(seeded_deck):
    member = UserFactory(
        time_zone="Pacific/Pago_Pago",
        date_joined=datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC),
    )
    UserFactory(date_joined=datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC))
    with at(2026, 11, 30, 12, 0):
        result = daily_cards_generate(on_date=datetime.date(2026, 11, 10))

    assert result.created == 1
    assert list(DailyCard.objects.values_list("user_id", flat=True)) == [member.pk]


@pytest.mark.django_db
def test_dry_run_counts_without_writing(seeded_deck):
    UserFactory.create_batch(3)
    chunks = []

    result = daily_cards_generate(on_date=DAY, dry_run=True, chunk_size=2, on_chunk=chunks.append)

    assert (result.users, result.created, result.chunks) == (3, 3, 2)
    assert [(chunk.number, chunk.users) for chunk in chunks] == [(1, 2), (2, 1)]
    assert not DailyCard.objects.exists()


@pytest.mark.django_db
def test_draws_come_from_the_published_deck_with_both_orientations(seeded_deck):
    seeded_deck.cards.exclude(slug="the-star").update(is_published=False)
    UserFactory.create_batch(40)

    daily_cards_generate(on_date=DAY)

    assert set(DailyCard.objects.values_list("card__slug", flat=True)) == {"the-star"}
    assert set(DailyCard.objects.values_list("is_reversed", flat=True)) == {True, False}


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_number_of_users(seeded_deck):
    def queries_for(count: int) -> int:
        DailyCard.objects.all().delete()
        UserFactory.create_batch(count)
        with CaptureQueriesContext(connection) as queries:
            daily_cards_generate(on_date=DAY)
        return len(queries)

    assert queries_for(3) == queries_for(60)


@pytest.mark.django_db
def test_the_task_creates_the_cards_for_a_given_date(seeded_deck):
    UserFactory.create_batch(2)

    summary = daily_cards_generate_task.delay(on_date="2026-11-27").get()

    assert summary == {"dates": ["2026-11-27"], "users": 2, "created": 2, "chunks": 1}
    assert DailyCard.objects.filter(date=DAY).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_run_that_interleaves_with_another_creates_no_duplicates(
    postgresql, seeded_deck, monkeypatch
):
    users = UserFactory.create_batch(30)
    lazy = daily_card_get_or_create(user=users[0], on_date=DAY)
    real_insert = daily_services._daily_cards_insert
    other_run = {}

    def insert_after_the_other_run(**kwargs):
        # The first run has picked its users; the second one runs to the end before it inserts.
        if threading.current_thread() is threading.main_thread() and not other_run:
            thread = threading.Thread(target=second_run)
            thread.start()
            thread.join()
        return real_insert(**kwargs)

    def second_run():
        try:
            other_run["result"] = daily_cards_generate(on_date=DAY, chunk_size=7)
        finally:
            close_old_connections()

    monkeypatch.setattr(daily_services, "_daily_cards_insert", insert_after_the_other_run)
    first = daily_cards_generate(on_date=DAY, chunk_size=10)
    second = other_run["result"]
    after_second_run = cards_by_user(DAY)

    assert DailyCard.objects.filter(date=DAY).count() == 30
    assert first.created + second.created == 29
    assert second.created == 29 and first.created == 0
    assert cards_by_user(DAY) == after_second_run
    assert after_second_run[users[0].pk] == (lazy.card_id, lazy.is_reversed)


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_leave_exactly_one_card_per_user(postgresql, seeded_deck):
    users = UserFactory.create_batch(200)
    results = run_at_once(
        lambda _: daily_cards_generate(on_date=DAY, chunk_size=25).created, count=3
    )

    assert errors_of(results) == []
    assert sum(results) == DailyCard.objects.filter(date=DAY).count() == len(users)
    assert set(DailyCard.objects.values_list("user_id", flat=True)) == {u.pk for u in users}


@pytest.mark.django_db(transaction=True)
def test_an_account_deleted_while_its_chunk_is_written_does_not_stop_the_others(
    postgresql, seeded_deck, monkeypatch
):
    staying, leaving = UserFactory(), UserFactory()
    real_insert = daily_services._daily_cards_insert

    def delete_one_account_first(**kwargs):
        leaving.delete()
        return real_insert(**kwargs)

    monkeypatch.setattr(daily_services, "_daily_cards_insert", delete_one_account_first)
    result = daily_cards_generate(on_date=DAY)

    assert result.created == 1
    assert list(DailyCard.objects.values_list("user_id", flat=True)) == [staying.pk]
