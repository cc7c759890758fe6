"""A changed password, or "sign out everywhere", ends every API refresh token and web session of
the account; a token that outlived its account is refused, never a server error."""

import urllib.parse

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm, PasswordChangeForm
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.accounts.factories import PASSWORD, UserFactory
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
EVERYWHERE = "/api/v1/auth/sign-out-everywhere/"
NEW_PASSWORD = "a brand new passphrase 7"


def token_pair(email: str, password: str = PASSWORD) -> dict:
    response = APIClient().post(TOKEN, {"email": email, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def refreshed(refresh: str):
    return APIClient().post(REFRESH, {"refresh": refresh}, format="json")


def reset_password_through_the_site(email: str) -> None:
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/password-reset/" in line)
    form_page = client.get(urllib.parse.urlsplit(link).path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content


def change_password_with_the_form(user) -> None:
    form = PasswordChangeForm(
        user,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert form.is_valid(), form.errors
    form.save()


def set_password_in_the_admin(user) -> None:
    form = AdminPasswordChangeForm(
        user, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )
    assert form.is_valid(), form.errors
    form.save()


def set_password_with_the_command(user, monkeypatch) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", user.email, stdout=None)


@pytest.mark.parametrize(
    "change",
    ["reset", "change form", "admin", "changepassword command"],
)
def test_every_way_of_changing_the_password_ends_the_refresh_tokens(change, monkeypatch):
    user = UserFactory(email="bob@example.com")
    first, second = token_pair(user.email), token_pair(user.email)

    if change == "reset":
        reset_password_through_the_site(user.email)
    elif change == "change form":
        change_password_with_the_form(user)
    elif change == "admin":
        set_password_in_the_admin(user)
    else:
        set_password_with_the_command(user, monkeypatch)

    for pair in (first, second):
        response = refreshed(pair["refresh"])
        assert response.status_code == 401
        assert error_of(response)["code"] == "token_not_valid"
    assert refreshed(token_pair(user.email, NEW_PASSWORD)["refresh"]).status_code == 200


def test_a_token_rotated_before_the_change_cannot_be_chained_after_it():
    user = UserFactory(email="bob@example.com")
    rotated = refreshed(token_pair(user.email)["refresh"]).json()

    change_password_with_the_form(user)

    assert refreshed(rotated["refresh"]).status_code == 401


def test_saving_other_fields_keeps_the_tokens():
    user = UserFactory()
    pair = token_pair(user.email)

    user.display_name = "Minji"
    user.save()

    assert refreshed(pair["refresh"]).status_code == 200


def test_sign_out_everywhere_through_the_api_ends_tokens_and_web_sessions():
    user = UserFactory()
    browser = Client()
    browser.force_login(user)
    app = token_pair(user.email)
    caller = APIClient()
    caller.credentials(HTTP_AUTHORIZATION=f"Bearer {app['access']}")

    response = caller.post(EVERYWHERE)

    assert response.status_code == 204
    assert refreshed(app["refresh"]).status_code == 401
    assert browser.get(reverse("accounts:preferences")).status_code == 302
    assert refreshed(token_pair(user.email)["refresh"]).status_code == 200


def test_sign_out_everywhere_needs_a_signed_in_caller():
    response = APIClient().post(EVERYWHERE)

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_sign_out_everywhere_on_the_site_ends_the_other_browsers_and_the_app():
    user = UserFactory()
    here, elsewhere = Client(), Client()
    here.force_login(user)
    elsewhere.force_login(user)
    app = token_pair(user.email)

    response = here.post(reverse("accounts:sign_out_everywhere"))

    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert elsewhere.get(reverse("accounts:preferences")).status_code == 302
    assert here.get(reverse("accounts:preferences")).status_code == 302
    assert refreshed(app["refresh"]).status_code == 401


def test_sign_out_everywhere_on_the_site_is_a_post_only():
    client = Client()
    client.force_login(UserFactory())

    assert client.get(reverse("accounts:sign_out_everywhere")).status_code == 405


def test_the_preferences_page_offers_sign_out_everywhere():
    client = Client()
    client.force_login(UserFactory())

    page = client.get(reverse("accounts:preferences")).content.decode()

    assert f'action="{reverse("accounts:sign_out_everywhere")}"' in page


def test_a_refresh_token_of_a_deleted_account_is_a_401():
    user = UserFactory()
    pair = token_pair(user.email)
    user.delete()

    response = refreshed(pair["refresh"])

    assert response.status_code == 401
    assert error_of(response)["code"] == "no_active_account"


def test_the_admin_still_changes_passwords_through_its_own_page(admin_client):
    user = UserFactory()
    pair = token_pair(user.email)
    url = reverse("admin:auth_user_password_change", args=[user.pk])

    response = admin_client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )

    assert response.status_code == 302
    assert refreshed(pair["refresh"]).status_code == 401
