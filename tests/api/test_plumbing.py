"""What every endpoint shares: the error shape, strict input, language, throttling, pagination."""

import pytest
from django.core.cache import cache

from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db


def test_an_unknown_path_is_a_404_in_the_error_shape(anon_client):
    response = anon_client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_missing_trailing_slash_is_a_404_that_names_the_right_path(anon_client):
    response = anon_client.get("/api/v1/cards", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "/api/v1/cards/" in error_of(response)["message"]


def test_a_wrong_method_is_a_405_in_the_error_shape(anon_client, seeded_deck):
    response = anon_client.put("/api/v1/cards/", {}, format="json")

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert "OPTIONS" not in response["Allow"]


def test_options_is_not_offered(anon_client):
    assert anon_client.options("/api/v1/cards/").status_code == 405


def test_malformed_json_is_a_400_parse_error(user_client):
    response = user_client.post(
        "/api/v1/readings/", data="{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_a_body_that_is_not_json_is_a_415(user_client):
    response = user_client.post("/api/v1/readings/", data="spread=x", content_type="text/plain")

    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_a_body_that_is_not_an_object_names_the_body(user_client):
    response = user_client.post("/api/v1/readings/", [1, 2], format="json")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["non_field_errors"]


def test_unknown_fields_and_wrong_json_types_are_refused_by_name(user_client, seeded_deck):
    response = user_client.post(
        "/api/v1/readings/",
        {"spread": "single-card", "question": 42, "allow_reversed": "yes", "colour": "red"},
        format="json",
    )

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"question", "allow_reversed", "colour"}


def test_an_invalid_token_is_a_401_even_on_a_public_endpoint(anon_client, seeded_deck):
    response = anon_client.get("/api/v1/cards/", HTTP_AUTHORIZATION="Bearer not-a-token")

    assert response.status_code == 401
    assert error_of(response)["code"] == "token_not_valid"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_content_language_follows_accept_language(anon_client, seeded_deck):
    english = anon_client.get("/api/v1/cards/the-fool/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    korean = anon_client.get("/api/v1/cards/the-fool/", HTTP_ACCEPT_LANGUAGE="ko-KR")
    default = anon_client.get("/api/v1/cards/the-fool/", HTTP_ACCEPT_LANGUAGE="fr, de;q=0.5")

    assert (english["Content-Language"], english.json()["name"]) == ("en", "The Fool")
    assert (korean["Content-Language"], korean.json()["name"]) == ("ko", "바보")
    assert (default["Content-Language"], default.json()["name"]) == ("ko", "바보")
    assert "Accept-Language" in english["Vary"]


def test_error_messages_come_in_the_requested_language(anon_client):
    english = anon_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    korean = anon_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="ko")

    assert error_of(english)["message"] == "Authentication credentials were not provided."
    assert error_of(korean)["message"] != error_of(english)["message"]
    assert korean["Content-Language"] == "ko"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=²", "page"),
        ("page=999", "page"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=ten", "page_size"),
    ],
)
def test_a_bad_page_is_a_400_naming_the_parameter(anon_client, seeded_deck, query, field):
    response = anon_client.get(f"/api/v1/cards/?{query}")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == [field]


def test_pages_link_to_each_other(anon_client, seeded_deck):
    first = anon_client.get("/api/v1/cards/?page_size=30").json()
    last = anon_client.get("/api/v1/cards/?page_size=30&page=3").json()

    assert first["count"] == 78 and len(first["results"]) == 30
    assert first["previous"] is None and "page=2" in first["next"]
    assert len(last["results"]) == 18 and last["next"] is None


@pytest.fixture
def tight_rates(settings):
    settings.API_THROTTLE_RATES = {
        "anon": "3/min",
        "user": "4/min",
        "auth": "2/min",
        "reading_create": "2/min",
    }
    cache.clear()


def test_anonymous_requests_are_throttled_with_a_429_in_the_error_shape(
    anon_client, seeded_deck, tight_rates
):
    # A search does work on every request; kept anonymous answers are the proxy's to limit.
    statuses = [anon_client.get("/api/v1/cards/?search=fool").status_code for _ in range(4)]
    response = anon_client.get("/api/v1/cards/?search=fool", HTTP_ACCEPT_LANGUAGE="en")

    assert statuses == [200, 200, 200, 429]
    assert response.status_code == 429
    assert error_of(response)["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_signed_in_users_have_their_own_rate(user_client, seeded_deck, tight_rates):
    statuses = [user_client.get("/api/v1/spreads/").status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 200, 429]


def test_drawing_readings_has_a_stricter_rate_than_reading_them(
    user_client, seeded_deck, tight_rates
):
    body = {"spread": "single-card"}
    draws = [user_client.post("/api/v1/readings/", body, format="json") for _ in range(3)]

    assert [r.status_code for r in draws] == [201, 201, 429]
    assert error_of(draws[-1])["code"] == "throttled"
    assert user_client.get("/api/v1/readings/").status_code == 200


def test_auth_endpoints_have_a_stricter_rate(anon_client, user, tight_rates):
    credentials = {"email": user.email, "password": "wrong"}
    statuses = [
        anon_client.post("/api/v1/auth/token/", credentials, format="json").status_code
        for _ in range(3)
    ]

    assert statuses == [401, 401, 429]
