"""Requests built to break the server get an answer in the API's error shape, or a page that
links nowhere but this site; never a 500."""

import json
import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.accounts.factories import UserFactory
from tests.api.conftest import bearer, error_of

pytestmark = pytest.mark.django_db

DEEPLY_NESTED = "[" * 2000


@pytest.mark.parametrize(
    ("path", "signed_in"),
    [
        ("/api/v1/readings/", True),
        ("/api/v1/auth/token/", False),
        ("/api/v1/auth/token/refresh/", False),
        ("/api/v1/auth/register/", False),
    ],
)
def test_deeply_nested_json_is_a_400_in_the_error_shape(seeded_deck, path, signed_in):
    headers = {"HTTP_AUTHORIZATION": bearer(UserFactory())} if signed_in else {}

    response = APIClient().post(
        path, DEEPLY_NESTED, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **headers
    )

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "parse_error"
    assert "nested too deeply" in error["message"]


def test_deeply_nested_json_in_a_patch_is_a_400(seeded_deck):
    response = APIClient().patch(
        "/api/v1/me/",
        DEEPLY_NESTED,
        content_type="application/json",
        HTTP_AUTHORIZATION=bearer(UserFactory()),
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_a_body_over_the_upload_limit_is_a_413_in_the_error_shape(seeded_deck, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    body = json.dumps({"spread": "single-card", "question": "x" * (100 * 1024)})

    response = APIClient().post(
        "/api/v1/readings/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=bearer(UserFactory()),
    )

    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


@pytest.mark.parametrize("path", ["//evil.com/", "//evil.com/en/", "/en//evil.com/"])
def test_the_404_page_links_to_this_site_only(path):
    # Set as the raw path: the test client would read //evil.com/ as a host.
    response = Client().get("/", PATH_INFO=path)

    page = response.content.decode()
    language_links = re.findall(r'class="language-link" href="([^"]*)"', page)
    assert response.status_code == 404
    assert "evil.com" not in page
    assert language_links and all(
        link.startswith("/") and not link.startswith("//") for link in language_links
    )


def test_a_known_page_still_links_to_its_twin_in_the_other_language(seeded_deck):
    page = Client().get("/cards/the-fool/").content.decode()

    assert 'href="/en/cards/the-fool/" hreflang="en"' in page
