import io
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tarot.models import Card
from tarot.presentation import card_art_url

pytestmark = pytest.mark.django_db


def test_every_card_face_is_well_formed_svg_with_its_name_and_long_caching(client, seeded_deck):
    for card in Card.objects.all():
        response = client.get(card_art_url(card))

        assert response.status_code == 200, card.slug
        assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
        assert "immutable" in response["Cache-Control"]
        assert "max-age=31536000" in response["Cache-Control"]
        root = ET.fromstring(response.content)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert card.name_ko in response.content.decode()


def test_english_art_carries_the_english_name(client, seeded_deck):
    response = client.get("/en/cards/the-high-priestess/art.svg")

    assert "The High Priestess" in response.content.decode()
    assert response["Content-Language"] == "en"


def test_etag_round_trip_answers_304(client, seeded_deck):
    url = reverse("tarot:card-art", args=["the-star"])
    first = client.get(url)

    again = client.get(url, headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


# Off: the view itself answers, not the worker's kept copy of its first answer.
@pytest.mark.parametrize("response_cache_bytes", [0, 16 * 1024 * 1024], ids=["view", "kept"])
@pytest.mark.parametrize(
    "if_none_match",
    ["W/{etag}", '"older", {etag}', '"older", W/{etag}', "*"],
    ids=["weak", "list", "weak-in-list", "any"],
)
def test_a_weak_or_listed_etag_answers_304(
    client, seeded_deck, settings, response_cache_bytes, if_none_match
):
    settings.RESPONSE_CACHE_MAX_BYTES = response_cache_bytes
    url = reverse("tarot:card-art", args=["the-star"])
    etag = client.get(url)["ETag"]

    answers = [
        client.get(url, headers={"if-none-match": if_none_match.format(etag=etag)})
        for _attempt in range(3)
    ]

    assert [(answer.status_code, answer.content) for answer in answers] == [(304, b"")] * 3
    assert {answer["ETag"] for answer in answers} == {etag}
    assert client.get(url, headers={"if-none-match": '"older", W/"other"'}).status_code == 200


def test_the_art_url_changes_when_the_card_changes(seeded_deck):
    card = Card.objects.get(slug="the-star")
    before = card_art_url(card)

    card.name_ko = "별빛"
    card.save()

    assert card_art_url(card) != before


def test_an_uploaded_image_replaces_the_generated_face(client, seeded_deck, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    card = Card.objects.get(slug="the-sun")
    buffer = io.BytesIO()
    Image.new("RGB", (60, 96), "gold").save(buffer, format="PNG")
    card.art = SimpleUploadedFile("sun.png", buffer.getvalue(), content_type="image/png")
    card.save()

    response = client.get(reverse("tarot:card-art", args=["the-sun"]))

    assert card_art_url(card).startswith("/media/cards/")
    assert response.status_code == 302
    assert response.url == card.art.url


def test_card_back_and_unknown_cards(client, seeded_deck):
    back = client.get(reverse("tarot:card-back"))

    assert back.status_code == 200
    ET.fromstring(back.content)
    assert client.get(reverse("tarot:card-art", args=["no-such-card"])).status_code == 404


def test_a_stale_art_version_is_not_cached_for_long(client, seeded_deck):
    response = client.get(reverse("tarot:card-art", args=["the-star"]) + "?v=stale")

    assert "immutable" not in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
