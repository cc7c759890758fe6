"""Sign-in brute force: django-axes locks an email + client address after 5 failures for 30
minutes, on the site's login, the admin's login and the API's token endpoint alike."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.lockout import lockout_message
from tests.accounts.factories import PASSWORD, UserFactory
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

WRONG = "not the password"
LIMIT = 5
ANOTHER_ADDRESS = "203.0.113.9"


def korean_lockout_message() -> str:
    """What a visitor reads: the site and the API speak Korean unless asked otherwise."""
    with translation.override("ko"):
        return lockout_message()


def site_login(client, email: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def admin_login(client, email: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        reverse("admin:login"),
        {"username": email, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def api_login(client, email: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        reverse("api:token"),
        {"email": email, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


@pytest.fixture
def reader():
    return UserFactory(email="reader@example.com")


@pytest.fixture
def api_client():
    return APIClient()


def test_the_site_login_locks_after_five_failures_with_a_clear_page(client, reader):
    for _attempt in range(LIMIT - 1):
        assert site_login(client, reader.email, WRONG).status_code == 200

    locked = site_login(client, reader.email, WRONG)

    assert locked.status_code == 429
    assert locked["Retry-After"] == "1800"
    page = locked.content.decode()
    assert korean_lockout_message() in page
    assert "30분" in page
    assert reverse("accounts:password_reset") in page
    assert '<link rel="stylesheet"' in page  # the site's own styled page
    # Even the right password is refused now, from this address.
    assert site_login(client, reader.email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_email_and_address_and_ignores_letter_case(client, reader):
    other = UserFactory(email="other@example.com")
    for _attempt in range(LIMIT):
        site_login(client, "READER@Example.com", WRONG)

    assert site_login(client, reader.email, PASSWORD).status_code == 429
    # The same person from elsewhere, and another account from here, still sign in.
    assert site_login(client, reader.email, PASSWORD, address=ANOTHER_ADDRESS).status_code == 302
    client.logout()
    assert site_login(client, other.email, PASSWORD).status_code == 302


def test_the_lock_ends_after_thirty_minutes(client, reader):
    for _attempt in range(LIMIT):
        site_login(client, reader.email, WRONG)

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=29), tick=False):
        assert site_login(client, reader.email, PASSWORD).status_code == 429
    # A refused attempt during the lock started the 30 minutes again.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=29 + 31), tick=False):
        assert site_login(client, reader.email, PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_failures(client, reader):
    for _attempt in range(LIMIT - 1):
        site_login(client, reader.email, WRONG)
    assert site_login(client, reader.email, PASSWORD).status_code == 302
    client.logout()

    for _attempt in range(LIMIT - 1):
        assert site_login(client, reader.email, WRONG).status_code == 200
    assert site_login(client, reader.email, PASSWORD).status_code == 302


def test_the_admin_login_locks_after_five_failures(client):
    editor = UserFactory(email="editor@example.com", is_staff=True)
    for _attempt in range(LIMIT - 1):
        assert admin_login(client, editor.email, WRONG).status_code == 200

    assert admin_login(client, editor.email, WRONG).status_code == 429
    locked = admin_login(client, editor.email, PASSWORD)

    assert locked.status_code == 429
    assert korean_lockout_message() in locked.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302  # still signed out


def test_failures_on_the_site_and_the_api_count_together(client, api_client, reader):
    for _attempt in range(LIMIT - 1):
        site_login(client, reader.email, WRONG)

    assert api_login(api_client, reader.email, WRONG).status_code == 429


def test_the_token_endpoint_locks_after_five_failures_with_a_429_in_the_error_shape(
    api_client, reader
):
    for _attempt in range(LIMIT - 1):
        response = api_login(api_client, reader.email, WRONG)
        assert response.status_code == 401
        assert error_of(response)["code"] == "no_active_account"

    locked = api_login(api_client, reader.email, WRONG)

    assert locked.status_code == 429
    assert locked["Retry-After"] == "1800"
    error = error_of(locked)
    assert error["code"] == "locked_out"
    assert error["message"] == korean_lockout_message()
    assert error["fields"] == {}
    refused = api_login(api_client, reader.email, PASSWORD)
    assert refused.status_code == 429
    assert "access" not in refused.json()
    assert api_login(api_client, reader.email, PASSWORD, address=ANOTHER_ADDRESS).status_code == 200


def test_a_token_sign_in_clears_the_failures_and_records_the_sign_in(api_client, reader):
    for _attempt in range(LIMIT - 1):
        api_login(api_client, reader.email, WRONG)

    assert api_login(api_client, reader.email, PASSWORD).status_code == 200
    reader.refresh_from_db()
    assert reader.last_login is not None
    for _attempt in range(LIMIT - 1):
        assert api_login(api_client, reader.email, WRONG).status_code == 401
    assert api_login(api_client, reader.email, PASSWORD).status_code == 200


def test_behind_the_proxy_the_lock_follows_the_client_address_it_forwards(
    api_client, reader, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for _attempt in range(LIMIT):
        api_client.post(
            reverse("api:token"),
            {"email": reader.email, "password": WRONG},
            format="json",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )

    def from_client(address: str) -> int:
        return api_client.post(
            reverse("api:token"),
            {"email": reader.email, "password": PASSWORD},
            format="json",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=address,
        ).status_code

    assert from_client("198.51.100.7") == 429
    assert from_client("198.51.100.8") == 200
