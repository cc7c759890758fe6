"""Cache flooding: only recognised, normalised query parameters may make a cache key, so made-up
parameters and other spellings of the same filters cannot fill Redis or the workers' memory."""

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from core import response_cache
from tests.accounts.factories import UserFactory
from tests.api.conftest import bearer, error_of

pytestmark = pytest.mark.django_db

CARDS = "/api/v1/cards/"


def cache_keys(part: str) -> list[str]:
    # django-redis lists its keys (the service run); local memory keeps them in a dict.
    stored = cache.keys("*") if hasattr(cache, "keys") else cache._cache
    return [key for key in stored if part in key]


def shown_cards(response) -> int:
    return response.content.decode().count('class="card-tile"')


def test_random_unknown_api_parameters_are_refused_and_cached_nowhere(seeded_deck):
    client = APIClient()

    answers = [client.get(f"{CARDS}?page_size=100&z={number}") for number in range(5)]

    assert [answer.status_code for answer in answers] == [400] * 5
    assert list(error_of(answers[0])["fields"]) == ["z"]
    assert cache_keys("api:v1:cards:") == []
    assert len(response_cache.store) == 0


@pytest.mark.parametrize(
    "path",
    [
        CARDS,
        f"{CARDS}the-fool/",
        "/api/v1/spreads/",
        "/api/v1/spreads/celtic-cross/",
        "/api/v1/daily-card/",
    ],
)
def test_every_cached_api_endpoint_refuses_an_unknown_parameter(seeded_deck, path):
    response = APIClient().get(f"{path}?utm_source=mail")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"utm_source": ["알 수 없는 매개변수예요."]}


def test_the_journal_refuses_an_unknown_parameter():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=bearer(UserFactory()))

    response = client.get("/api/v1/readings/?z=1", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"z": ["Unknown parameter."]}


def test_a_repeated_api_parameter_is_refused(seeded_deck):
    response = APIClient().get(f"{CARDS}?suit=cups&suit=wands", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"suit": ["Give this parameter only once."]}


def test_spellings_of_the_same_api_query_share_one_payload(seeded_deck):
    client = APIClient()
    spellings = [
        "",
        "?page=1",
        "?page_size=20",
        "?ordering=deck&search=",
        "?search=&page=1&ordering=deck&page_size=20",
    ]

    bodies = {client.get(f"{CARDS}{query}").content for query in spellings}
    filtered = {
        client.get(f"{CARDS}{query}").content for query in ("?suit=cups", "?suit=cups&page=1")
    }

    assert len(bodies) == 1 and len(filtered) == 1
    assert len(cache_keys("api:v1:cards:")) == 2


def test_next_links_name_only_the_normalised_parameters(seeded_deck):
    body = APIClient().get(f"{CARDS}?page_size=20&ordering=deck&search=&arcana=minor").json()

    assert body["next"] == "http://testserver/api/v1/cards/?arcana=minor&page=2"


def test_spellings_of_the_same_page_filters_share_one_kept_answer(seeded_deck):
    client = Client()
    spellings = [
        "/cards/?suit=cups",
        "/cards/?arcana=&suit=cups",
        "/cards/?suit=cups&arcana=",
        "/cards/?suit=&suit=cups",
        "/cards/?suit=wands&suit=cups",
        "/cards/?suit=cups&utm_source=mail",
    ]

    answers = [client.get(path) for path in spellings for _ in range(2)]

    assert {answer.status_code for answer in answers} == {200}
    assert {shown_cards(answer) for answer in answers} == {14}
    assert len(response_cache.store) == 1


def test_repeated_page_filters_cannot_fill_the_workers_memory(seeded_deck):
    client = Client()

    answers = [
        client.get("/cards/?arcana=major" + "&suit=" * number)
        for number in range(1, 6)
        for _ in range(2)
    ]

    assert {answer.status_code for answer in answers} == {200}
    assert {shown_cards(answer) for answer in answers} == {22}
    assert len(response_cache.store) <= 1
    assert len(cache_keys("page:cards:")) <= 1
