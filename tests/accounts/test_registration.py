"""Sign-up answers alike whether or not the email has an account: the email's owner learns which,
by mail. A new address gets a confirmation link that activates the account and signs it in."""

import re
import urllib.parse
from unittest import mock

import pytest
from django.contrib.auth import get_user
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services
from accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
NEW_PASSWORD = "a long passphrase"


def link_in(message, fragment: str) -> str:
    return next(word for word in message.body.split() if fragment in word)


def path_of(link: str) -> str:
    return urllib.parse.urlsplit(link).path


def register(email: str, **headers):
    return APIClient().post(
        REGISTER, {"email": email, "password": NEW_PASSWORD}, format="json", **headers
    )


def test_the_api_answers_a_new_and_a_taken_email_alike():
    UserFactory(email="taken@example.com")

    new = register("new@example.com", HTTP_ACCEPT_LANGUAGE="en")
    taken = register("TAKEN@example.com", HTTP_ACCEPT_LANGUAGE="en")

    assert new.status_code == taken.status_code == 202
    assert new.json() == {"detail": "Check your email to finish signing up."}
    assert taken.json() == new.json()
    assert new.headers.keys() == taken.headers.keys()


def test_the_sign_up_page_answers_a_new_and_a_taken_email_alike():
    UserFactory(email="taken@example.com")
    data = {"password1": PASSWORD, "password2": PASSWORD}

    new = Client().post(reverse("accounts:signup"), {**data, "email": "new@example.com"})
    taken = Client().post(reverse("accounts:signup"), {**data, "email": "taken@example.com"})

    assert new.status_code == taken.status_code == 302
    assert new.url == taken.url == reverse("accounts:signup_sent")
    page = Client().get(new.url).content.decode()
    assert "이메일을 확인해 주세요" in page


def test_a_taken_email_is_told_in_the_owners_language_with_links_to_the_site():
    owner = UserFactory(email="owner@example.com", language="en")

    register("owner@example.com", HTTP_ACCEPT_LANGUAGE="ko")

    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == ["owner@example.com"]
    assert "Someone tried to sign up for Tarot Master with your email address" in notice.body
    assert link_in(notice, "/login/") == "http://127.0.0.1:8000/en/accounts/login/"
    assert (
        link_in(notice, "/password-reset/") == "http://127.0.0.1:8000/en/accounts/password-reset/"
    )
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD), "the existing account is untouched"


def test_both_answers_hash_the_password_so_they_take_about_as_long():
    UserFactory(email="taken@example.com")

    with mock.patch.object(services, "make_password", wraps=services.make_password) as hashing:
        register("new@example.com")
        register("taken@example.com")

    assert hashing.call_count == 2


def test_a_new_account_is_inactive_until_the_emailed_link_is_confirmed():
    register("new@example.com", HTTP_ACCEPT_LANGUAGE="en")

    user = User.objects.get(email="new@example.com")
    assert not user.is_active
    assert user.language == "en"
    signed_in = APIClient().post(
        TOKEN, {"email": "new@example.com", "password": NEW_PASSWORD}, format="json"
    )
    assert signed_in.status_code == 401
    assert mail.outbox[0].to == ["new@example.com"]
    assert "Confirm your email address" in mail.outbox[0].subject


def test_confirming_activates_the_account_signs_it_in_and_the_link_then_dies():
    register("new@example.com", HTTP_ACCEPT_LANGUAGE="en")
    link = link_in(mail.outbox[0], "/signup/confirm/")
    assert link.startswith("http://127.0.0.1:8000/en/accounts/signup/confirm/")
    browser = Client()

    confirm_page = browser.get(path_of(link))
    confirmed = browser.post(path_of(link))
    again = Client().post(path_of(link))

    assert confirm_page.status_code == 200
    assert "Confirm and sign in" in confirm_page.content.decode()
    assert User.objects.get(email="new@example.com").is_active
    assert confirmed.status_code == 302
    assert get_user(browser).email == "new@example.com"
    assert again.status_code == 200
    assert "This link has expired" in again.content.decode()
    signed_in = APIClient().post(
        TOKEN, {"email": "new@example.com", "password": NEW_PASSWORD}, format="json"
    )
    assert signed_in.status_code == 200


def test_opening_the_link_does_not_confirm_so_mail_scanners_cannot_use_it_up():
    register("new@example.com")

    Client().get(path_of(link_in(mail.outbox[0], "/signup/confirm/")))

    assert not User.objects.get(email="new@example.com").is_active


@pytest.mark.parametrize(
    "mangle",
    [lambda path: path[:-3] + "xx/", lambda path: re.sub(r"confirm/\w+/", "confirm/!!/", path)],
    ids=["token", "user id"],
)
def test_a_mistyped_confirmation_link_is_a_clear_page(mangle):
    register("new@example.com")
    path = mangle(path_of(link_in(mail.outbox[0], "/signup/confirm/")))

    response = Client().post(path)

    assert response.status_code == 200
    assert "링크가 만료되었어요" in response.content.decode()
    assert not User.objects.get(email="new@example.com").is_active


def test_signing_up_again_before_confirming_sends_a_new_link_and_the_old_one_dies():
    register("new@example.com")
    first = path_of(link_in(mail.outbox[0], "/signup/confirm/"))
    register("new@example.com")
    second = path_of(link_in(mail.outbox[1], "/signup/confirm/"))

    assert Client().post(first).status_code == 200
    assert not User.objects.get(email="new@example.com").is_active
    assert Client().post(second).status_code == 302
    assert User.objects.get(email="new@example.com").is_active


def test_sign_up_through_the_pages_ends_signed_in_in_korean():
    browser = Client()
    browser.post(
        reverse("accounts:signup"),
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    message = mail.outbox[0]
    link = link_in(message, "/signup/confirm/")

    confirmed = browser.post(path_of(link), follow=True)

    assert message.subject == "타로 마스터 이메일 주소를 확인해 주세요"
    assert link.startswith("http://127.0.0.1:8000/accounts/signup/confirm/")
    assert get_user(browser).email == "new@example.com"
    assert "타로 마스터에 오신 것을 환영해요." in confirmed.content.decode()
