"""Cards and spreads: filters, languages, art URLs, ETags, the per-language payload cache."""

import pytest

from tarot.cache import deck_content_changed
from tarot.models import Card, Spread
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

CARDS = "/api/v1/cards/"
SPREADS = "/api/v1/spreads/"


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


def test_cards_are_listed_in_deck_order_with_their_generated_art(anon_client, seeded_deck):
    response = anon_client.get(CARDS)

    assert response.status_code == 200
    assert response.json()["count"] == 78
    first = response.json()["results"][0]
    assert first["slug"] == "the-fool"
    assert first["art_url"].startswith("http://testserver/cards/the-fool/art.svg?v=")
    assert first["keywords_upright"] and isinstance(first["keywords_upright"], list)


def test_uploaded_art_replaces_the_generated_face(anon_client, seeded_deck):
    Card.objects.filter(slug="the-fool").update(art="cards/the-fool.png")

    response = anon_client.get(f"{CARDS}the-fool/")

    assert response.json()["art_url"] == "http://testserver/media/cards/the-fool.png"


@pytest.mark.parametrize(
    ("query", "expected_count"),
    [
        ("arcana=major", 22),
        ("arcana=minor", 56),
        ("suit=cups", 14),
        ("arcana=minor&suit=swords", 14),
        ("search=바보", 1),
        ("search=fool", 1),
        ("search=FOOL", 1),
        ("search=", 78),
    ],
)
def test_cards_filter_by_arcana_suit_and_search_in_both_languages(
    anon_client, seeded_deck, query, expected_count
):
    response = anon_client.get(f"{CARDS}?{query}")

    assert response.status_code == 200
    assert response.json()["count"] == expected_count


def test_cards_order_by_name_in_the_content_language(anon_client, seeded_deck):
    english = slugs(
        anon_client.get(f"{CARDS}?ordering=name&page_size=100", HTTP_ACCEPT_LANGUAGE="en")
    )
    backwards = slugs(anon_client.get(f"{CARDS}?ordering=-deck&page_size=100"))

    names = dict(Card.objects.values_list("slug", "name_en"))
    assert [names[slug] for slug in english] == sorted(names[slug] for slug in english)
    assert backwards[0] == "king-of-pentacles" and backwards[-1] == "the-fool"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("arcana=middle", "arcana"),
        ("suit=coins", "suit"),
        ("ordering=random", "ordering"),
        (f"search={'x' * 101}", "search"),
    ],
)
def test_bad_card_filters_are_a_400_naming_the_parameter(anon_client, seeded_deck, query, field):
    response = anon_client.get(f"{CARDS}?{query}")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == [field]


def test_card_detail_has_the_meanings_in_the_requested_language(anon_client, seeded_deck):
    response = anon_client.get(f"{CARDS}the-fool/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "The Fool"
    assert body["meaning_upright"] == Card.objects.get(slug="the-fool").meaning_upright_en
    assert body["art_url"].startswith("http://testserver/en/cards/the-fool/art.svg?v=")


def test_unknown_and_unpublished_cards_are_404(anon_client, seeded_deck):
    Card.objects.filter(slug="the-magician").update(is_published=False)

    assert anon_client.get(f"{CARDS}no-such-card/").status_code == 404
    assert anon_client.get(f"{CARDS}the-magician/").status_code == 404
    assert "the-magician" not in slugs(anon_client.get(f"{CARDS}?page_size=100"))


def test_spreads_come_with_positions_and_coordinates(anon_client, seeded_deck):
    response = anon_client.get(SPREADS, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    celtic = next(s for s in response.json()["results"] if s["slug"] == "celtic-cross")
    assert celtic["card_count"] == len(celtic["positions"]) == 10
    assert [p["order"] for p in celtic["positions"]] == list(range(1, 11))
    assert any(p["rotated"] for p in celtic["positions"])
    assert set(celtic["positions"][0]) == {"order", "name", "prompt", "x", "y", "rotated"}


def test_spread_detail_and_404(anon_client, seeded_deck):
    Spread.objects.filter(slug="celtic-cross").update(is_published=False)

    assert anon_client.get(f"{SPREADS}single-card/").json()["card_count"] == 1
    assert anon_client.get(f"{SPREADS}celtic-cross/").status_code == 404
    assert anon_client.get(f"{SPREADS}nope/").status_code == 404


@pytest.mark.parametrize("url", [CARDS, f"{CARDS}the-fool/", SPREADS, f"{SPREADS}single-card/"])
def test_etag_round_trip_answers_304(anon_client, seeded_deck, url):
    first = anon_client.get(url)
    etag = first["ETag"]

    again = anon_client.get(url, HTTP_IF_NONE_MATCH=etag)
    weak = anon_client.get(url, HTTP_IF_NONE_MATCH=f'"other", W/{etag}')
    other_language = anon_client.get(url, HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_LANGUAGE="en")

    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=300"
    assert (again.status_code, again.content) == (304, b"")
    assert again["ETag"] == etag and again["Cache-Control"] == "public, max-age=300"
    assert weak.status_code == 304
    assert other_language.status_code == 200 and other_language["ETag"] != etag


@pytest.mark.parametrize("response_cache_bytes", [0, 16 * 1024 * 1024], ids=["view", "kept"])
@pytest.mark.parametrize(
    "if_none_match",
    ["W/{etag}", '"older", {etag}', '"older", W/{etag}', "*"],
    ids=["weak", "list", "weak-in-list", "any"],
)
@pytest.mark.parametrize("url", [f"{CARDS}the-fool/", SPREADS])
def test_a_weak_or_listed_etag_answers_304(
    anon_client, seeded_deck, settings, response_cache_bytes, if_none_match, url
):
    settings.RESPONSE_CACHE_MAX_BYTES = response_cache_bytes
    etag = anon_client.get(url)["ETag"]

    answers = [
        anon_client.get(url, HTTP_IF_NONE_MATCH=if_none_match.format(etag=etag))
        for _attempt in range(3)
    ]

    assert [(answer.status_code, answer.content) for answer in answers] == [(304, b"")] * 3
    assert {answer["ETag"] for answer in answers} == {etag}
    assert anon_client.get(url, HTTP_IF_NONE_MATCH='"older", W/"other"').status_code == 200


def test_an_editors_save_reaches_the_cached_payload_through_the_content_version(
    anon_client, seeded_deck
):
    before = anon_client.get(f"{CARDS}the-fool/")
    Card.objects.filter(slug="the-fool").update(name_ko="바보 (개정)")
    still_cached = anon_client.get(f"{CARDS}the-fool/")

    deck_content_changed()
    after = anon_client.get(f"{CARDS}the-fool/", HTTP_IF_NONE_MATCH=before["ETag"])
    listed = anon_client.get(f"{CARDS}?search=개정")

    assert still_cached.json()["name"] == "바보"
    assert after.status_code == 200
    assert after.json()["name"] == "바보 (개정)"
    assert slugs(listed) == ["the-fool"]


def test_spread_payloads_follow_the_content_version_too(anon_client, seeded_deck):
    anon_client.get(f"{SPREADS}single-card/")
    Spread.objects.filter(slug="single-card").update(name_ko="한 장")
    deck_content_changed()

    assert anon_client.get(f"{SPREADS}single-card/").json()["name"] == "한 장"


@pytest.mark.parametrize("query", ["search=fool", "page_size=50"])
def test_card_list_queries_are_fixed_and_cached(
    anon_client, seeded_deck, django_assert_num_queries, query
):
    # deck, count, page, whatever the page holds (1 card or 50); then none from the cache.
    with django_assert_num_queries(3):
        first = anon_client.get(f"{CARDS}?{query}")
    with django_assert_num_queries(0):
        anon_client.get(f"{CARDS}?{query}")

    assert len(first.json()["results"]) in (1, 50)


def test_spread_list_queries_are_fixed(anon_client, seeded_deck, django_assert_num_queries):
    # count, spreads, their positions.
    with django_assert_num_queries(3):
        anon_client.get(f"{SPREADS}?page_size=1")
    with django_assert_num_queries(3):
        anon_client.get(f"{SPREADS}?page_size=50")


def test_card_and_spread_detail_queries_are_fixed(
    anon_client, seeded_deck, django_assert_num_queries
):
    with django_assert_num_queries(2):
        anon_client.get(f"{CARDS}the-fool/")
    with django_assert_num_queries(2):
        anon_client.get(f"{SPREADS}celtic-cross/")
