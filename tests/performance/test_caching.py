"""Cached API payloads, page fragments and card faces: served without database queries, and
changed by an editor's save (tarot.cache: every entry is stored with the deck content version)."""

import datetime
import json
import re
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from accounts.models import User
from readings.models import DailyCard
from readings.services import reading_create
from tarot.cache import (
    VERSION_KEY,
    deck_content_cached,
    deck_content_changed,
    deck_content_version,
)
from tarot.models import Card, Spread
from tarot.presentation import card_art_version
from tarot.selectors import cards_by_id
from tests.accounts.factories import UserFactory
from tests.admin.images import image_upload
from tests.admin.test_permissions import _card_form_data
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
FOOL_API = "/api/v1/cards/the-fool/"
CARDS_API = "/api/v1/cards/?page_size=100"
FOOL_PAGE = "/cards/the-fool/"
FOOL_ART = "/cards/the-fool/art.svg"
ENCYCLOPEDIA = "/cards/"
READINGS_API = "/api/v1/readings/"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def editor_client(seeded_deck) -> Client:
    call_command("create_editor", "editor@example.com", stdout=None)
    client = Client()
    client.force_login(User.objects.get(email="editor@example.com"))
    return client


@pytest.fixture
def visitor() -> Client:
    return Client()


def editor_renames_the_fool(editor_client, capture_on_commit, name_ko: str) -> None:
    fool = Card.objects.get(slug="the-fool")
    with capture_on_commit(execute=True):
        response = editor_client.post(
            reverse("admin:tarot_card_change", args=[fool.pk]),
            _card_form_data(fool, name_ko=name_ko),
        )
    assert response.status_code == 302


def page_text(response) -> str:
    """The page without its CSRF token, which is new on every answer."""
    return CSRF_TOKEN.sub("", response.content.decode())


def everything_showing_the_fool(visitor: Client) -> dict[str, str]:
    return {
        "api card": visitor.get(FOOL_API).json()["name"],
        "api list": visitor.get(CARDS_API).json()["results"][0]["name"],
        "card page": page_text(visitor.get(FOOL_PAGE)),
        "encyclopedia": page_text(visitor.get(ENCYCLOPEDIA)),
        "art": visitor.get(FOOL_ART).content.decode(),
    }


def test_cached_views_of_a_card_cost_no_query_until_an_editor_saves_it(
    visitor, editor_client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    before = everything_showing_the_fool(visitor)
    with django_assert_num_queries(0):
        again = everything_showing_the_fool(visitor)
    assert again == before
    assert "바보 (개정)" not in json.dumps(before, ensure_ascii=False)

    editor_renames_the_fool(editor_client, django_capture_on_commit_callbacks, "바보 (개정)")
    after = everything_showing_the_fool(visitor)

    assert after["api card"] == after["api list"] == "바보 (개정)"
    for view in ("card page", "encyclopedia", "art"):
        assert "바보 (개정)" in after[view], view


def test_a_cached_card_page_keeps_its_title_and_description(visitor, seeded_deck):
    visitor.get(FOOL_PAGE)
    page = visitor.get(FOOL_PAGE).content.decode()
    fool = Card.objects.get(slug="the-fool")

    assert f"<title>{fool.name_ko} · " in page
    assert f'<meta name="description" content="{fool.summary_upright_ko}">' in page
    assert fool.meaning_reversed_ko in page


def test_each_language_has_its_own_cached_page_and_payload(visitor, seeded_deck):
    fool = Card.objects.get(slug="the-fool")
    korean_page, english_page = visitor.get(FOOL_PAGE), visitor.get(f"/en{FOOL_PAGE}")
    korean_api = visitor.get(FOOL_API).json()
    english_api = visitor.get(FOOL_API, HTTP_ACCEPT_LANGUAGE="en").json()

    assert escape(fool.meaning_upright_en) in english_page.content.decode()
    assert escape(fool.meaning_upright_en) not in korean_page.content.decode()
    assert (korean_api["name"], english_api["name"]) == (fool.name_ko, fool.name_en)


def test_an_unknown_or_unpublished_card_is_a_404_and_is_not_cached(
    visitor, seeded_deck, django_capture_on_commit_callbacks
):
    assert visitor.get("/cards/no-such-card/").status_code == 404
    assert visitor.get("/cards/no-such-card/art.svg").status_code == 404

    Card.objects.filter(slug="the-fool").update(is_published=False)
    deck_content_changed()

    assert visitor.get(FOOL_PAGE).status_code == 404
    assert visitor.get(FOOL_ART).status_code == 404
    assert visitor.get(FOOL_API).status_code == 404


def test_the_card_face_is_drawn_once_and_only_its_current_fingerprint_is_immutable(
    visitor, seeded_deck, django_assert_num_queries
):
    fool = Card.objects.get(slug="the-fool")
    first = visitor.get(f"{FOOL_ART}?v={card_art_version(fool)}")
    with django_assert_num_queries(0):
        current = visitor.get(f"{FOOL_ART}?v={card_art_version(fool)}")
        stale = visitor.get(f"{FOOL_ART}?v=000000000000")
    english = visitor.get(f"/en{FOOL_ART}")

    assert current.content == first.content == stale.content
    assert "immutable" in current["Cache-Control"]
    assert "immutable" not in stale["Cache-Control"]
    assert fool.name_en in english.content.decode()
    assert english.content != current.content


def test_an_uploaded_face_replaces_the_cached_drawing(
    visitor, editor_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    fool = Card.objects.get(slug="the-fool")
    assert visitor.get(FOOL_ART).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            reverse("admin:tarot_card_change", args=[fool.pk]),
            _card_form_data(fool, art=image_upload("fool.png", "PNG")),
        )
    fool.refresh_from_db()
    response = visitor.get(FOOL_ART)

    assert response.status_code == 302
    assert response["Location"] == fool.art.url


class TestHome:
    def test_the_anonymous_home_follows_the_date_in_seoul(
        self, visitor, seeded_deck, django_assert_num_queries
    ):
        days = []
        for day in (datetime.date(2026, 3, 1), datetime.date(2026, 3, 2)):
            with time_machine.travel(datetime.datetime(2026, 3, day.day, 12, tzinfo=SEOUL)):
                visitor.get("/")
                with django_assert_num_queries(0):
                    page = visitor.get("/").content.decode()
            days.append(page)

        assert 'datetime="2026-03-01"' in days[0]
        assert 'datetime="2026-03-02"' in days[1]

    def test_signed_in_users_each_see_their_own_card(self, seeded_deck):
        cards = list(Card.objects.order_by("position")[:2])
        pages = []
        for card in cards:
            user = UserFactory()
            DailyCard.objects.create(
                user=user, date=user.local_date(), card=card, is_reversed=False
            )
            client = Client()
            client.force_login(user)
            client.get("/")
            pages.append(client.get("/").content.decode())

        assert cards[0].name_ko in pages[0] and cards[1].name_ko not in pages[0]
        assert cards[1].name_ko in pages[1] and cards[0].name_ko not in pages[1]

    def test_only_anonymous_visitors_are_invited_to_sign_up(self, visitor, seeded_deck):
        member = Client()
        member.force_login(UserFactory())
        signup = f'href="{reverse("accounts:signup")}"'
        visitor.get("/")
        member.get("/")

        assert visitor.get("/").content.decode().count(signup) == 2  # header and the journal
        assert signup not in member.get("/").content.decode()

    def test_a_newly_seeded_deck_replaces_the_cached_empty_home(
        self, visitor, db, django_capture_on_commit_callbacks
    ):
        assert "seed_deck" in visitor.get("/").content.decode()

        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_deck", stdout=None)

        assert "seed_deck" not in visitor.get("/").content.decode()


class TestEncyclopedia:
    def test_filters_are_cached_searches_are_not(
        self, visitor, seeded_deck, django_assert_num_queries
    ):
        visitor.get(f"{ENCYCLOPEDIA}?arcana=major")
        with django_assert_num_queries(0):
            majors = visitor.get(f"{ENCYCLOPEDIA}?arcana=major")
        visitor.get(f"{ENCYCLOPEDIA}?q=fool")
        with django_assert_num_queries(2):
            search = visitor.get(f"{ENCYCLOPEDIA}?q=fool")

        assert majors.content.decode().count('class="card-tile"') == 22
        assert search.content.decode().count('class="card-tile"') == 1

    def test_the_form_shows_what_this_visitor_asked_for(self, visitor, seeded_deck):
        visitor.get(ENCYCLOPEDIA)
        visitor.get(f"{ENCYCLOPEDIA}?suit=cups")

        cups = visitor.get(f"{ENCYCLOPEDIA}?suit=cups&q=").content.decode()
        plain = visitor.get(ENCYCLOPEDIA).content.decode()

        assert '<option value="cups" selected>' in cups
        assert '<option value="cups" selected>' not in plain


class TestReadingsList:
    @pytest.fixture
    def owner(self, seeded_deck):
        return UserFactory()

    @pytest.fixture
    def owner_client(self, owner) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=bearer(owner))
        return client

    def test_notes_and_share_links_show_at_once_though_the_cards_are_cached(
        self, owner, owner_client, three_card_spread, django_capture_on_commit_callbacks
    ):
        reading = reading_create(user=owner, spread=three_card_spread)
        cached = owner_client.get(READINGS_API).json()["results"][0]

        with django_capture_on_commit_callbacks(execute=True):
            owner_client.patch(f"{READINGS_API}{reading.pk}/", {"notes": "기억"}, format="json")
        with django_capture_on_commit_callbacks(execute=True):
            owner_client.post(f"{READINGS_API}{reading.pk}/share/")
        after = owner_client.get(READINGS_API).json()["results"][0]

        assert (cached["notes"], cached["share_token"]) == ("", None)
        assert after["notes"] == "기억"
        assert after["share_token"] and after["share_url"].endswith(f"/s/{after['share_token']}/")
        assert after["cards"] == cached["cards"]

    def test_a_deleted_reading_leaves_the_list(
        self, owner, owner_client, three_card_spread, django_capture_on_commit_callbacks
    ):
        kept, deleted = (reading_create(user=owner, spread=three_card_spread) for _ in range(2))
        owner_client.get(READINGS_API)

        with django_capture_on_commit_callbacks(execute=True):
            owner_client.delete(f"{READINGS_API}{deleted.pk}/")

        assert [r["id"] for r in owner_client.get(READINGS_API).json()["results"]] == [kept.pk]

    def test_a_new_reading_and_unsharing_show_at_once(
        self, owner, owner_client, three_card_spread, django_capture_on_commit_callbacks
    ):
        first = reading_create(user=owner, spread=three_card_spread)
        owner_client.post(f"{READINGS_API}{first.pk}/share/")
        owner_client.get(READINGS_API)

        with django_capture_on_commit_callbacks(execute=True):
            drawn = owner_client.post(READINGS_API, {"spread": "single-card"}, format="json")
        with django_capture_on_commit_callbacks(execute=True):
            owner_client.delete(f"{READINGS_API}{first.pk}/share/")
        listed = owner_client.get(READINGS_API).json()["results"]

        assert [r["id"] for r in listed] == [drawn.json()["id"], first.pk]
        assert listed[1]["share_token"] is None

    def test_an_editors_save_reaches_the_cards_of_past_readings(
        self, owner, owner_client, three_card_spread
    ):
        reading = reading_create(user=owner, spread=three_card_spread)
        card = reading.drawn_cards.first().card
        owner_client.get(READINGS_API)

        Card.objects.filter(pk=card.pk).update(name_ko="새 이름")
        deck_content_changed()
        names = [
            c["card"]["name"] for c in owner_client.get(READINGS_API).json()["results"][0]["cards"]
        ]

        assert "새 이름" in names

    def test_each_reading_is_cached_for_its_owner_only(self, owner, three_card_spread):
        reading_create(user=owner, spread=three_card_spread)
        other = UserFactory()
        owner_api, other_api = APIClient(), APIClient()
        owner_api.credentials(HTTP_AUTHORIZATION=bearer(owner))
        other_api.credentials(HTTP_AUTHORIZATION=bearer(other))
        owner_api.get(READINGS_API)

        assert other_api.get(READINGS_API).json()["results"] == []


@pytest.mark.parametrize(
    "spread_slug", ["single-card", "three-card-past-present-future", "celtic-cross"]
)
def test_drawing_costs_the_same_queries_whatever_the_spread_size(
    seeded_deck, spread_slug, django_assert_num_queries
):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=bearer(UserFactory()))
    # user, spread, its positions, deck, card ids, the drawn cards' texts, reading, its drawn
    # cards (+ a savepoint pair around the two inserts).
    with django_assert_num_queries(10):
        response = client.post(READINGS_API, {"spread": spread_slug}, format="json")
    # The spread with its positions, the deck and its card ids are cached from then on, and so
    # are the cards once drawn (here all of them, so the count does not depend on the luck of
    # the draw), and the user's row: only the transaction.
    cards_by_id(card_ids=list(Card.objects.values_list("id", flat=True)))
    with django_assert_num_queries(4):
        again = client.post(READINGS_API, {"spread": spread_slug}, format="json")

    assert response.status_code == again.status_code == 201
    positions = Spread.objects.get(slug=spread_slug).positions.count()
    assert len(response.json()["cards"]) == len(again.json()["cards"]) == positions


def test_an_editors_change_reaches_the_cached_spreads_and_card_pool(seeded_deck):
    client = APIClient()
    client.post(READINGS_API, {"spread": "single-card"}, format="json")

    Card.objects.exclude(slug="the-fool").update(is_published=False)
    Spread.objects.filter(slug="celtic-cross").update(is_published=False)
    deck_content_changed()
    draws = [client.post(READINGS_API, {"spread": "single-card"}, format="json") for _ in range(5)]
    celtic = client.post(READINGS_API, {"spread": "celtic-cross"}, format="json")

    assert {draw.json()["cards"][0]["card"]["slug"] for draw in draws} == {"the-fool"}
    assert celtic.status_code == 400


class TestContentVersion:
    def test_an_entry_is_rebuilt_once_the_version_moves(self):
        assert deck_content_cached(key="k", build=lambda: "first", timeout=60) == "first"
        assert deck_content_cached(key="k", build=lambda: "second", timeout=60) == "first"

        deck_content_changed()

        assert deck_content_cached(key="k", build=lambda: "third", timeout=60) == "third"

    def test_a_lost_version_never_brings_back_an_older_entry(self):
        deck_content_cached(key="k", build=lambda: "old", timeout=60)
        old_version = deck_content_version()
        cache.delete(VERSION_KEY)  # evicted, or Redis restarted without its data

        assert deck_content_version() != old_version
        assert deck_content_cached(key="k", build=lambda: "new", timeout=60) == "new"

    def test_an_entry_built_while_an_editor_saves_is_rebuilt_on_the_next_read(self):
        def build_during_a_save():
            deck_content_changed()
            return "built from the old content"

        deck_content_cached(key="k", build=build_during_a_save, timeout=60)

        assert deck_content_cached(key="k", build=lambda: "fresh", timeout=60) == "fresh"

    def test_seed_deck_update_moves_the_version(
        self, seeded_deck, django_capture_on_commit_callbacks
    ):
        Card.objects.filter(slug="the-fool").update(name_ko="편집됨")
        before = deck_content_version()

        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_deck", "--update", stdout=None)

        assert deck_content_version() != before
        assert Card.objects.get(slug="the-fool").name_ko != "편집됨"


def test_anonymous_clients_are_throttled_by_the_anonymous_rate_alone(settings, seeded_deck):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "3/min", "user": "1/min"}
    client = APIClient()

    statuses = [client.get("/api/v1/cards/?search=moon").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
