"""What is made for one person is never kept by a shared cache or the browser's history."""

import pytest
from django.test import Client
from django.urls import reverse

from readings.services import reading_create, reading_share
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.fixture
def signed_in(seeded_deck):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    return client, user


def test_every_personal_page_is_private_and_not_stored(signed_in, three_card_spread):
    client, user = signed_in
    reading = reading_create(user=user, spread=three_card_spread, question="올해 나의 일은?")
    pages = [
        reverse("home"),
        reverse("readings:daily"),
        reverse("readings:journal"),
        reverse("readings:new"),
        reverse("readings:detail", args=[reading.pk]),
        reverse("readings:delete", args=[reading.pk]),
        reverse("accounts:preferences"),
        reverse("accounts:delete"),
        reverse("tarot:card-list"),
    ]

    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert {"private", "no-store"} <= cache_control(response), page


def test_an_anonymous_visitors_own_reading_is_private(seeded_deck):
    client = Client()
    drawn = client.post(
        reverse("readings:new"), {"spread": "single-card", "question": "", "allow_reversed": "on"}
    )

    response = client.get(drawn.url)

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_a_shared_reading_is_not_stored_like_its_api_twin(seeded_deck, three_card_spread):
    reading = reading_share(reading=reading_create(user=None, spread=three_card_spread))

    page = Client().get(reverse("readings:shared", args=[reading.share_token]))
    api = Client().get(f"/api/v1/shared/{reading.share_token}/")

    assert {"private", "no-store"} <= cache_control(page)
    assert cache_control(page) == cache_control(api)


def test_public_pages_keep_their_own_caching_for_anonymous_visitors(seeded_deck):
    response = Client().get(reverse("tarot:card-detail", args=["the-fool"]))

    assert "no-store" not in cache_control(response)
    assert "private" not in cache_control(response)
