"""Sign-up (confirmed by email), JWT sign-in, refresh rotation with blacklist, logout."""

import datetime

import pytest
from django.core import mail
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import User
from tests.accounts.factories import PASSWORD
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"


def test_register_asks_for_confirmation_before_the_account_can_sign_in(anon_client):
    response = anon_client.post(
        REGISTER,
        {"email": "New.Reader@Example.com", "password": "a long passphrase"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 202
    assert response.json() == {"detail": "Check your email to finish signing up."}
    user = User.objects.get()
    assert user.email == "new.reader@example.com"
    assert user.language == "en", "defaults to the request's language"
    assert not user.is_active
    assert mail.outbox[0].to == ["new.reader@example.com"]
    sign_in = anon_client.post(
        TOKEN, {"email": user.email, "password": "a long passphrase"}, format="json"
    )
    assert sign_in.status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email", "password": "a long passphrase"}, "email"),
        ({"email": "a@example.com", "password": "123"}, "password"),
        ({"email": "a@example.com"}, "password"),
        (
            {"email": "a@example.com", "password": "a long passphrase", "time_zone": "Mars/Base"},
            "time_zone",
        ),
        ({"email": "a@example.com", "password": "a long passphrase", "language": "fr"}, "language"),
    ],
)
def test_register_names_the_field_at_fault(anon_client, body, field):
    response = anon_client.post(REGISTER, body, format="json")

    assert response.status_code == 400
    assert field in error_of(response)["fields"]
    assert not User.objects.exists()


def test_register_with_a_taken_email_answers_as_for_a_new_one(anon_client, user):
    response = anon_client.post(
        REGISTER,
        {"email": user.email.upper(), "password": "a long passphrase"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 202
    assert response.json() == {"detail": "Check your email to finish signing up."}
    assert User.objects.get().check_password(PASSWORD)
    assert mail.outbox[0].to == [user.email]


def test_token_pair_for_email_in_any_case_with_a_one_hour_access_token(anon_client, user):
    response = anon_client.post(
        TOKEN, {"email": user.email.upper(), "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    access = AccessToken(response.json()["access"])
    assert datetime.timedelta(seconds=access["exp"] - access["iat"]) == datetime.timedelta(hours=1)


def test_wrong_credentials_are_a_401_in_the_error_shape(anon_client, user):
    response = anon_client.post(TOKEN, {"email": user.email, "password": "nope"}, format="json")

    assert response.status_code == 401
    assert error_of(response)["code"] == "no_active_account"


def test_missing_credentials_are_a_400_naming_them(anon_client):
    response = anon_client.post(TOKEN, {}, format="json")

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"email", "password"}


def test_refresh_rotates_and_the_old_refresh_token_stops_working(anon_client, user):
    pair = anon_client.post(
        TOKEN, {"email": user.email, "password": PASSWORD}, format="json"
    ).json()

    rotated = anon_client.post(REFRESH, {"refresh": pair["refresh"]}, format="json")
    reused = anon_client.post(REFRESH, {"refresh": pair["refresh"]}, format="json")

    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != pair["refresh"]
    assert reused.status_code == 401
    assert error_of(reused)["code"] == "token_not_valid"


def test_logout_blacklists_the_refresh_token(anon_client, user):
    pair = anon_client.post(
        TOKEN, {"email": user.email, "password": PASSWORD}, format="json"
    ).json()

    logout = anon_client.post(LOGOUT, {"refresh": pair["refresh"]}, format="json")
    refresh = anon_client.post(REFRESH, {"refresh": pair["refresh"]}, format="json")
    again = anon_client.post(LOGOUT, {"refresh": pair["refresh"]}, format="json")

    assert logout.status_code == 204
    assert refresh.status_code == 401
    assert again.status_code == 400
    assert list(error_of(again)["fields"]) == ["refresh"]


def test_logout_with_a_garbage_token_names_the_field(anon_client):
    response = anon_client.post(LOGOUT, {"refresh": "garbage"}, format="json")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["refresh"]


def test_an_inactive_users_token_is_refused(user, client_for):
    client = client_for(user)
    user.is_active = False
    user.save()

    response = client.get("/api/v1/me/")

    assert response.status_code == 401
