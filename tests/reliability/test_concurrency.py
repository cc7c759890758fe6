"""Twenty requests at once for the same person on PostgreSQL: one daily card for the date, and
every reading whole (all of its cards) or absent, never half-written."""

import threading

import pytest
from django.db import DatabaseError

from readings.models import DailyCard, DrawnCard, Reading
from readings.services import daily_card_get_or_create, reading_create
from tarot.models import Spread
from tests.accounts.factories import UserFactory
from tests.concurrency import run_at_once

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PARALLEL = 20


def test_parallel_daily_card_and_reading_requests_make_one_card_and_whole_readings(
    postgresql, seeded_deck
):
    user = UserFactory()
    today = user.local_date()
    celtic_cross = Spread.objects.get(slug="celtic-cross")

    def request(index: int):
        daily = daily_card_get_or_create(user=user, on_date=today)
        reading = reading_create(user=user, spread=celtic_cross, question=f"#{index}")
        return daily.pk, daily.card_id, reading.pk

    results = run_at_once(request, PARALLEL)

    assert not [result for result in results if isinstance(result, Exception)], results
    assert DailyCard.objects.filter(user=user, date=today).count() == 1
    assert len({(daily_id, card_id) for daily_id, card_id, _ in results}) == 1
    assert Reading.objects.filter(user=user).count() == PARALLEL
    for reading in Reading.objects.filter(user=user).prefetch_related("drawn_cards"):
        cards = list(reading.drawn_cards.all())
        assert len(cards) == 10
        assert len({drawn.card_id for drawn in cards}) == 10


def test_a_reading_whose_cards_fail_to_save_leaves_nothing_behind(
    postgresql, seeded_deck, monkeypatch
):
    user = UserFactory()
    celtic_cross = Spread.objects.get(slug="celtic-cross")
    original = DrawnCard.objects.bulk_create
    calls = iter(range(PARALLEL))
    lock = threading.Lock()

    def failing_every_fourth(objs, *args, **kwargs):
        objs = list(objs)
        with lock:
            number = next(calls)
        # Half of the cards are written, then the connection "drops".
        original(objs[: len(objs) // 2], *args, **kwargs)
        if number % 4 == 0:
            raise DatabaseError("connection lost mid-write")
        return original(objs[len(objs) // 2 :], *args, **kwargs)

    monkeypatch.setattr(DrawnCard.objects, "bulk_create", failing_every_fourth)

    results = run_at_once(
        lambda index: reading_create(user=user, spread=celtic_cross, question=f"#{index}"),
        PARALLEL,
    )

    failed = [result for result in results if isinstance(result, DatabaseError)]
    assert len(failed) == PARALLEL // 4
    assert Reading.objects.filter(user=user).count() == PARALLEL - len(failed)
    for reading in Reading.objects.filter(user=user).prefetch_related("drawn_cards"):
        assert reading.drawn_cards.count() == 10
    assert DrawnCard.objects.filter(reading__user=user).count() == 10 * (PARALLEL - len(failed))
