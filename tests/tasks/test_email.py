import datetime

import pytest
from django.core import mail

from readings.daily_services import notification_chunk_send
from readings.models import DailyCard, NotificationDelivery
from readings.notifications import daily_card_email_build
from tarot.models import Card
from tarot.presentation import roman_numeral
from tests.tasks.conftest import at, subscriber


def send_to(user, *, reversed_card: bool = False):
    star = Card.objects.get(slug="the-star")
    DailyCard.objects.create(
        user=user, date=datetime.date(2026, 11, 26), card=star, is_reversed=reversed_card
    )
    with at(2026, 11, 26, 3, 0):
        notification_chunk_send(user_ids=[user.pk])
    (message,) = mail.outbox
    return message, star


@pytest.mark.django_db
def test_the_korean_email_names_the_card_in_korean_and_links_to_its_page(seeded_deck, settings):
    settings.SITE_URL = "https://tarot.example"
    user = subscriber(language="ko", display_name="지은", notification_time=datetime.time(0, 0))

    message, star = send_to(user)

    html = message.alternatives[0].content
    assert message.subject == "오늘의 카드: 별"
    assert message.to == [user.email]
    assert "지은님, 오늘 당신에게 온 카드예요." in message.body
    assert "별 (정방향)" in message.body
    assert star.summary_upright_ko in message.body
    assert "카드 의미 자세히 보기: https://tarot.example/cards/the-star/" in message.body
    assert '<html lang="ko">' in html
    assert 'href="https://tarot.example/cards/the-star/"' in html
    assert "2026년 11월 26일 목요일" in html
    assert "메이저 아르카나 · XVII" in html
    assert "The Star" not in message.body + html


@pytest.mark.django_db
def test_the_english_email_names_the_card_in_english_and_links_to_the_english_page(
    seeded_deck, settings
):
    settings.SITE_URL = "https://tarot.example/"
    user = subscriber(language="en", notification_time=datetime.time(0, 0))

    message, star = send_to(user, reversed_card=True)

    html = message.alternatives[0].content
    assert message.subject == "Your card for today: The Star (reversed)"
    assert "The Star (reversed)" in message.body
    assert star.summary_reversed_en in message.body
    assert "Read the full meaning: https://tarot.example/en/cards/the-star/" in message.body
    assert '<html lang="en">' in html
    assert 'href="https://tarot.example/en/cards/the-star/"' in html
    assert 'href="https://tarot.example/en/accounts/preferences/"' in html
    assert "Thursday, 26 November 2026" in html
    assert "MAJOR ARCANA · XVII" in html
    assert "별" not in message.subject + message.body


@pytest.mark.django_db
def test_every_attempt_carries_the_same_message_id_and_an_unsubscribe_link(seeded_deck, settings):
    settings.SITE_URL = "https://tarot.example"
    user = subscriber(language="en")
    daily = DailyCard.objects.create(
        user=user, date=datetime.date(2026, 11, 26), card=Card.objects.get(slug="the-fool")
    )
    delivery = NotificationDelivery.objects.create(
        user=user, local_date=daily.date, channel="email", next_attempt_at=daily.created_at
    )

    first = daily_card_email_build(user=user, daily_card=daily, delivery=delivery).message()
    again = daily_card_email_build(user=user, daily_card=daily, delivery=delivery).message()

    assert first["Message-ID"] == again["Message-ID"] == f"<daily-card-{delivery.pk}@tarot.example>"
    assert first["List-Unsubscribe"] == "<https://tarot.example/en/accounts/preferences/>"
    assert first.get_content_type() == "multipart/alternative"


def test_major_arcana_are_numbered_in_roman_numerals():
    assert [roman_numeral(n) for n in (0, 1, 4, 9, 14, 17, 19, 21)] == [
        "0",
        "I",
        "IV",
        "IX",
        "XIV",
        "XVII",
        "XIX",
        "XXI",
    ]
