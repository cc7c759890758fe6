"""Anonymous visitors' shared answers kept whole in the worker's memory
(core/response_cache.py): who gets them, which answers are kept, and when they go."""

import datetime
import itertools
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from core import response_cache
from core.caching import version_move_on
from core.response_cache import ResponseCacheMiddleware, share
from readings.services import site_daily_card
from tarot.cache import VERSION_KEY, deck_content_changed
from tarot.models import Card
from tests.accounts.factories import UserFactory
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


@pytest.fixture
def tight_anonymous_rate(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "2/min"}


def test_kept_answers_are_served_again_without_the_view(seeded_deck, tight_anonymous_rate):
    client = APIClient()
    # The first answer is remembered as shared, the second kept; the anonymous rate (two a
    # minute) is spent, so only answers from memory get through from then on.
    first = client.get("/api/v1/spreads/")
    client.get("/api/v1/spreads/")
    again = [client.get("/api/v1/spreads/") for _ in range(3)]

    assert first.status_code == 200
    assert [response.status_code for response in again] == [200, 200, 200]
    assert {response.content for response in again} == {first.content}
    assert {response["ETag"] for response in again} == {first["ETag"]}
    assert again[-1]["Content-Language"] == "ko"
    assert "X-Request-ID" in again[-1]
    assert client.get("/api/v1/cards/?search=fool").status_code == 429


def test_a_kept_answer_names_its_etag_and_answers_304(seeded_deck):
    client = APIClient()
    etag = client.get("/api/v1/cards/the-fool/")["ETag"]
    client.get("/api/v1/cards/the-fool/")

    revalidated = client.get("/api/v1/cards/the-fool/", HTTP_IF_NONE_MATCH=etag)

    assert revalidated.status_code == 304
    assert revalidated["ETag"] == etag
    assert revalidated.content == b""


def test_each_language_is_kept_apart(seeded_deck):
    client = APIClient()
    names = {
        language: [
            client.get("/api/v1/cards/the-fool/", HTTP_ACCEPT_LANGUAGE=language).json()["name"]
            for _ in range(3)
        ]
        for language in ("ko", "en", "en-US,en;q=0.9", "fr")
    }

    assert names == {
        "ko": ["바보"] * 3,
        "en": ["The Fool"] * 3,
        "en-US,en;q=0.9": ["The Fool"] * 3,
        "fr": ["바보"] * 3,
    }
    page = Client()
    english = [page.get("/en/cards/the-fool/").content.decode() for _ in range(3)]
    korean = [page.get("/cards/the-fool/").content.decode() for _ in range(3)]
    assert all("<h1>The Fool</h1>" in text for text in english)
    assert all("<h1>바보</h1>" in text for text in korean)


def test_a_deck_content_change_is_seen_at_once(seeded_deck):
    client = Client()
    for _ in range(2):
        assert "<h1>바보</h1>" in client.get("/cards/the-fool/").content.decode()

    Card.objects.filter(slug="the-fool").update(name_ko="새 이름")
    deck_content_changed()

    assert "<h1>새 이름</h1>" in client.get("/cards/the-fool/").content.decode()


def test_another_workers_save_is_seen_within_a_quarter_second(seeded_deck):
    client = Client()
    start = datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(2):
            client.get("/cards/the-fool/")
        # Another worker's save: the version moves on in Redis, no signal in this process.
        Card.objects.filter(slug="the-fool").update(name_ko="새 이름")
        version_move_on(VERSION_KEY)
        within = client.get("/cards/the-fool/").content.decode()
    with time_machine.travel(start + datetime.timedelta(seconds=0.3), tick=False):
        after = client.get("/cards/the-fool/").content.decode()

    assert "<h1>바보</h1>" in within
    assert "<h1>새 이름</h1>" in after


def test_signed_in_visitors_never_get_an_anonymous_answer(seeded_deck):
    anonymous = Client()
    for _ in range(2):
        assert "Sign up" in anonymous.get("/en/").content.decode()
    member = Client()
    member.force_login(UserFactory(language="en"))

    page = member.get("/en/").content.decode()

    assert "Sign up" not in page and "Log out" in page


def test_a_bearer_token_gets_the_users_own_daily_card(seeded_deck):
    anonymous = APIClient()
    for _ in range(2):
        assert anonymous.get("/api/v1/daily-card/").json()["personal"] is False
    member = APIClient()
    member.credentials(HTTP_AUTHORIZATION=bearer(UserFactory()))

    answer = member.get("/api/v1/daily-card/")

    assert answer.json()["personal"] is True
    assert "no-store" in answer["Cache-Control"]


def test_the_card_of_the_day_changes_at_midnight_in_seoul(seeded_deck):
    client = APIClient()
    evening = datetime.datetime(2026, 11, 26, 23, 59, 50, tzinfo=SEOUL)
    with time_machine.travel(evening, tick=False):
        for _ in range(2):
            kept = client.get("/api/v1/daily-card/").json()
            home = client.get("/").content.decode()
    with time_machine.travel(evening + datetime.timedelta(seconds=15), tick=False):
        next_day = client.get("/api/v1/daily-card/").json()
        next_home = client.get("/").content.decode()

    assert (kept["date"], next_day["date"]) == ("2026-11-26", "2026-11-27")
    card, _ = site_daily_card(on_date=datetime.date(2026, 11, 27))
    assert next_day["card"]["slug"] == card.slug
    assert "2026-11-26" not in next_home and home != next_home


def rendered(client: Client, path: str) -> list[bool]:
    """For three GETs of ``path``: whether the view rendered a template (not kept) or not."""
    return [client.get(path).context is not None for _ in range(3)]


def test_searches_and_made_up_parameters_are_not_kept(seeded_deck):
    client = Client()

    assert rendered(client, "/cards/?arcana=major") == [True, True, False]
    assert rendered(client, "/cards/the-fool/") == [True, True, False]
    assert rendered(client, "/cards/?q=moon") == [True, True, True]
    assert rendered(client, "/cards/?utm_source=mail") == [True, True, True]


# --- The rules, on a view that counts its own runs -----------------------------------------


@pytest.fixture
def counting_view():
    """A middleware around a view whose body says how many times it ran."""
    runs = itertools.count(1)
    configure: dict = {}

    def view(request):
        response = HttpResponse(f"run {next(runs)}")
        for name, value in configure.get("headers", {}).items():
            response[name] = value
        if configure.get("cookie"):
            response.set_cookie("flavour", "x")
        response.status_code = configure.get("status", 200)
        return share(response, until=configure.get("until"), query=configure.get("query", ()))

    middleware = ResponseCacheMiddleware(view)
    factory = RequestFactory()

    def get(path="/page/", **extra):
        request = factory.get(path, **extra)
        request.user = AnonymousUser()
        return middleware(request).content.decode()

    get.configure = configure
    return get


def test_the_second_shared_answer_is_kept_and_served_from_then_on(counting_view):
    assert [counting_view() for _ in range(4)] == ["run 1", "run 2", "run 2", "run 2"]


@pytest.mark.parametrize(
    "request_headers",
    [
        {"HTTP_AUTHORIZATION": "Bearer x"},
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "messages=abc"},
    ],
)
def test_requests_that_may_be_personal_always_run_the_view(counting_view, request_headers):
    counting_view()
    counting_view()

    assert counting_view(**request_headers) == "run 3"
    assert counting_view() == "run 2"


@pytest.mark.parametrize(
    "configuration",
    [
        {"cookie": True},
        {"status": 404},
        {"headers": {"Vary": "X-Flavour"}},
        {"headers": {"Content-Security-Policy": "script-src 'nonce-abc'"}},
        {"headers": {"Cache-Control": "private, max-age=60"}},
        {"headers": {"Cache-Control": "no-store"}},
    ],
)
def test_answers_that_may_be_personal_are_never_kept(counting_view, configuration):
    counting_view.configure.update(configuration)

    assert [counting_view() for _ in range(3)] == ["run 1", "run 2", "run 3"]


def test_only_the_query_the_view_normalised_is_kept(counting_view):
    counting_view.configure["query"] = (("page", "2"),)

    assert [counting_view("/page/?page=2") for _ in range(3)] == ["run 1", "run 2", "run 2"]
    assert [counting_view("/page/?page=2&x=1") for _ in range(3)] == ["run 3", "run 4", "run 5"]


def test_api_answers_with_made_up_parameters_are_not_kept(seeded_deck, tight_anonymous_rate):
    client = APIClient()
    for _ in range(2):
        client.get("/api/v1/cards/?arcana=major&page_size=22")

    assert client.get("/api/v1/cards/?arcana=major&page_size=22").status_code == 200
    assert client.get("/api/v1/spreads/?utm_source=mail").status_code == 429


def test_an_answer_goes_at_its_deadline_and_at_the_longest_timeout(counting_view, settings):
    settings.RESPONSE_CACHE_TIMEOUT = 60
    start = datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC)
    counting_view.configure["until"] = start + datetime.timedelta(seconds=30)
    with time_machine.travel(start, tick=False):
        assert [counting_view() for _ in range(3)] == ["run 1", "run 2", "run 2"]
    with time_machine.travel(start + datetime.timedelta(seconds=31), tick=False):
        counting_view.configure["until"] = None
        assert [counting_view() for _ in range(2)] == ["run 3", "run 3"]
    with time_machine.travel(start + datetime.timedelta(seconds=92), tick=False):
        assert counting_view() == "run 4"


def test_nothing_is_kept_when_the_content_version_cannot_be_read(counting_view, monkeypatch):
    monkeypatch.setattr(response_cache, "shared_content_version", lambda: None)

    assert [counting_view() for _ in range(3)] == ["run 1", "run 2", "run 3"]


def test_memory_is_bounded_least_recently_used_first(counting_view, settings):
    settings.RESPONSE_CACHE_MAX_ENTRIES = 2
    paths = ["/a/", "/b/", "/a/", "/b/", "/a/", "/c/", "/a/", "/b/"]

    # /a/ and /b/ are kept on their second run; /c/ pushes out /b/, the one unused the longest.
    assert [counting_view(path) for path in paths] == [
        "run 1",
        "run 2",
        "run 3",
        "run 4",
        "run 3",
        "run 5",
        "run 3",
        "run 6",
    ]


def test_an_answer_larger_than_the_memory_is_not_kept(counting_view, settings):
    settings.RESPONSE_CACHE_MAX_BYTES = 4

    assert [counting_view() for _ in range(3)] == ["run 1", "run 2", "run 3"]


def test_turned_off_it_keeps_nothing(counting_view, settings):
    settings.RESPONSE_CACHE_MAX_BYTES = 0

    assert [counting_view() for _ in range(3)] == ["run 1", "run 2", "run 3"]
