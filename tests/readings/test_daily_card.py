import datetime

import pytest
from django.db import IntegrityError

from readings.models import DailyCard
from readings.services import (
    daily_card_get_or_create,
    site_daily_card,
    site_day_ends_at,
    site_today,
)
from tests.accounts.factories import UserFactory
from tests.concurrency import errors_of, run_at_once

DAY = datetime.date(2026, 11, 26)


@pytest.mark.django_db
def test_daily_card_is_drawn_once_and_then_always_the_same(seeded_deck):
    user = UserFactory()

    first = daily_card_get_or_create(user=user, on_date=DAY)
    again = daily_card_get_or_create(user=user, on_date=DAY)
    tomorrow = daily_card_get_or_create(user=user, on_date=DAY + datetime.timedelta(days=1))

    assert (again.pk, again.card_id, again.is_reversed) == (
        first.pk,
        first.card_id,
        first.is_reversed,
    )
    assert tomorrow.pk != first.pk
    assert DailyCard.objects.filter(user=user).count() == 2


@pytest.mark.django_db
def test_the_database_refuses_two_daily_cards_for_one_user_and_date(seeded_deck):
    daily = daily_card_get_or_create(user=UserFactory(), on_date=DAY)

    with pytest.raises(IntegrityError):
        DailyCard.objects.create(user=daily.user, date=DAY, card=daily.card)


@pytest.mark.django_db(transaction=True)
def test_concurrent_daily_card_calls_create_exactly_one_row(postgresql, seeded_deck):
    user = UserFactory()

    results = run_at_once(
        lambda _: daily_card_get_or_create(user=user, on_date=DAY).card_id, count=8
    )

    assert errors_of(results) == []
    assert DailyCard.objects.filter(user=user, date=DAY).count() == 1
    assert len(set(results)) == 1


@pytest.mark.django_db
def test_site_daily_card_is_the_same_all_day_and_changes_over_days(seeded_deck):
    same_day = {site_daily_card(on_date=DAY) for _ in range(3)}
    month = {site_daily_card(on_date=DAY + datetime.timedelta(days=n))[0] for n in range(30)}

    assert len(same_day) == 1
    assert len(month) > 10


@pytest.mark.django_db
def test_local_date_follows_the_users_time_zone():
    instant = datetime.datetime(2026, 11, 26, 15, 30, tzinfo=datetime.UTC)

    assert UserFactory(time_zone="Asia/Seoul").local_date(instant) == datetime.date(2026, 11, 27)
    assert UserFactory(time_zone="Pacific/Pago_Pago").local_date(instant) == DAY


def test_the_site_day_is_the_day_in_the_sites_time_zone(settings):
    instant = datetime.datetime(2026, 11, 26, 15, 30, tzinfo=datetime.UTC)

    in_seoul = (site_today(instant), site_day_ends_at(instant).isoformat())
    settings.TIME_ZONE = "Pacific/Pago_Pago"
    in_pago_pago = (site_today(instant), site_day_ends_at(instant).isoformat())

    assert in_seoul == (datetime.date(2026, 11, 27), "2026-11-28T00:00:00+09:00")
    assert in_pago_pago == (DAY, "2026-11-27T00:00:00-11:00")
