"""Today's card: the site-wide one for visitors (cached until Seoul's midnight), the user's own
for their local date, and the history."""

import datetime

import pytest
import time_machine

from readings.models import DailyCard
from readings.services import site_daily_card
from tarot.models import Card
from tests.api.conftest import error_of
from tests.readings.factories import DailyCardFactory

pytestmark = pytest.mark.django_db

DAILY = "/api/v1/daily-card/"
HISTORY = "/api/v1/daily-card/history/"
# 20:00 UTC on 1 March is already 05:00 on 2 March in Seoul.
EVENING_UTC = datetime.datetime(2025, 3, 1, 20, 0, tzinfo=datetime.UTC)


@time_machine.travel(EVENING_UTC, tick=False)
def test_visitors_get_the_site_card_of_the_seoul_day(anon_client, seeded_deck):
    response = anon_client.get(DAILY)

    card, is_reversed = site_daily_card(on_date=datetime.date(2025, 3, 2))
    body = response.json()
    assert response.status_code == 200
    assert (body["date"], body["personal"]) == ("2025-03-02", False)
    assert (body["card"]["slug"], body["is_reversed"]) == (card.slug, is_reversed)
    assert body["meaning"] in (card.meaning_upright, card.meaning_reversed)
    assert "Authorization" in response["Vary"] and "Accept-Language" in response["Vary"]


@time_machine.travel(EVENING_UTC, tick=False)
def test_the_site_card_is_cached_and_answers_304(
    anon_client, seeded_deck, django_assert_num_queries
):
    # deck, its published card ids, the one card of the day; then none from the cache.
    with django_assert_num_queries(3):
        first = anon_client.get(DAILY)
    with django_assert_num_queries(0):
        again = anon_client.get(DAILY, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert first["Cache-Control"] == "public, max-age=3600"


def test_the_site_card_changes_when_the_seoul_day_ends(anon_client, seeded_deck):
    before_midnight = datetime.datetime(
        2025, 3, 2, 23, 50, tzinfo=datetime.timezone(datetime.timedelta(hours=9))
    )
    with time_machine.travel(before_midnight, tick=False):
        late = anon_client.get(DAILY)
    with time_machine.travel(before_midnight + datetime.timedelta(minutes=20), tick=False):
        next_day = anon_client.get(DAILY)

    assert late["Cache-Control"] == "public, max-age=600", "never reused past midnight"
    assert (late.json()["date"], next_day.json()["date"]) == ("2025-03-02", "2025-03-03")


@time_machine.travel(datetime.datetime(2025, 3, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_users_get_their_own_card_for_their_local_date(user, client_for, seeded_deck):
    user.time_zone = "Pacific/Kiritimati"  # UTC+14: already 2 March
    user.save()
    client = client_for(user)

    first = client.get(DAILY)
    second = client.get(DAILY)

    daily = DailyCard.objects.get(user=user)
    assert daily.date == datetime.date(2025, 3, 2)
    assert first.json()["personal"] is True
    assert first.json()["card"]["slug"] == second.json()["card"]["slug"] == daily.card.slug
    assert first.json()["is_reversed"] == daily.is_reversed
    assert "no-store" in first["Cache-Control"]


def test_history_lists_my_past_cards_newest_first(user, other_user, user_client, seeded_deck):
    cards = list(Card.objects.order_by("position")[:3])
    today = user.local_date()
    for days_ago, card in enumerate(cards):
        DailyCardFactory(user=user, card=card, date=today - datetime.timedelta(days=days_ago))
    DailyCardFactory(user=user, card=cards[0], date=today + datetime.timedelta(days=1))
    DailyCardFactory(user=other_user, card=cards[0], date=today)

    response = user_client.get(HISTORY)

    assert response.status_code == 200
    assert [item["date"] for item in response.json()["results"]] == [
        (today - datetime.timedelta(days=n)).isoformat() for n in range(3)
    ]


@pytest.mark.parametrize("count", [1, 50])
def test_history_costs_the_same_queries_for_1_or_50_days(
    user, user_client, seeded_deck, django_assert_num_queries, count
):
    card = Card.objects.first()
    today = user.local_date()
    for days_ago in range(count):
        DailyCardFactory(user=user, card=card, date=today - datetime.timedelta(days=days_ago))

    # user, count, daily cards with their card.
    with django_assert_num_queries(3):
        response = user_client.get(f"{HISTORY}?page_size=50")

    assert len(response.json()["results"]) == count


def test_history_needs_sign_in_and_validates_the_page(anon_client, user_client, seeded_deck):
    assert error_of(anon_client.get(HISTORY))["code"] == "not_authenticated"
    assert list(error_of(user_client.get(f"{HISTORY}?page=2"))["fields"]) == ["page"]
