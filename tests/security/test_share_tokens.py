"""Share links: unguessable tokens from `secrets`, revocation that really closes the link, and a
shared view that never shows who owns the reading or what they wrote in it."""

import base64

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from readings import services
from readings.services import reading_create, reading_share, reading_unshare
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

NOTES = "나만 보는 메모: 이직을 고민 중"
QUESTION = "올해 나는 어떤 길을 걷게 될까요?"


@pytest.fixture
def owner():
    return UserFactory(email="secret.owner@example.com", display_name="Owner Kim")


@pytest.fixture
def shared_reading(owner, three_card_spread):
    reading = reading_create(user=owner, spread=three_card_spread, question=QUESTION)
    services.reading_update_notes(reading=reading, notes=NOTES)
    return reading_share(reading=reading)


def test_share_tokens_carry_at_least_128_random_bits_from_secrets(monkeypatch, shared_reading):
    token = shared_reading.share_token
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128
    calls = []
    monkeypatch.setattr(services.secrets, "token_urlsafe", lambda n: calls.append(n) or "t" * 32)

    services.share_token_new()

    assert calls and calls[0] * 8 >= 128


def test_tokens_are_unique_across_many_shares(owner, three_card_spread):
    tokens = {
        reading_share(reading=reading_create(user=owner, spread=three_card_spread)).share_token
        for _ in range(50)
    }
    assert len(tokens) == 50


def test_a_revoked_link_answers_404_on_the_page_and_the_api(client, shared_reading):
    token = shared_reading.share_token
    page = reverse("readings:shared", kwargs={"token": token})
    api = reverse("api:shared-reading", kwargs={"token": token})
    assert client.get(page).status_code == 200
    assert APIClient().get(api).status_code == 200

    reading_unshare(reading=shared_reading)

    assert client.get(page).status_code == 404
    assert APIClient().get(api).status_code == 404
    # Sharing again makes a new link; the old one stays dead.
    assert reading_share(reading=shared_reading).share_token != token
    assert client.get(page).status_code == 404


@pytest.mark.parametrize("token", ["", "x", "a" * 32, "../../etc/passwd", "%00", "' OR 1=1 --"])
def test_made_up_tokens_answer_404(client, shared_reading, token):
    assert client.get(f"/s/{token}/").status_code == 404
    assert APIClient().get(f"/api/v1/shared/{token}/").status_code == 404


def test_the_shared_page_and_api_never_show_the_owner_or_the_notes(client, shared_reading, owner):
    token = shared_reading.share_token
    page = client.get(reverse("readings:shared", kwargs={"token": token}))
    api = APIClient().get(reverse("api:shared-reading", kwargs={"token": token}))

    for body in (page.content.decode(), api.content.decode()):
        assert QUESTION in body  # what the owner chose to share
        for private in (NOTES, owner.email, "secret.owner", owner.display_name):
            assert private not in body, private
    assert f"/readings/{shared_reading.pk}/" not in page.content.decode()
    assert set(api.json()) == {
        "created_at",
        "spread",
        "question",
        "allow_reversed",
        "cards",
        "summary",
    }
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert page["Referrer-Policy"] == "no-referrer"
    assert "no-store" in api["Cache-Control"]
