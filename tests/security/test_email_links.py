"""Links in account emails point at settings.SITE_URL, never at the Host a request claimed."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

FORGED_HOST = "localhost:6666"


@pytest.fixture(autouse=True)
def _an_allowed_host_on_the_wrong_port(settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.SITE_URL = "https://tarot.example"


def links_in(message) -> list[str]:
    return [word for word in message.body.split() if "://" in word]


def test_a_password_reset_link_uses_the_site_url_not_the_request_host():
    UserFactory(email="reader@example.com")

    Client().post(
        reverse("accounts:password_reset"), {"email": "reader@example.com"}, HTTP_HOST=FORGED_HOST
    )

    [link] = links_in(mail.outbox[0])
    assert link.startswith("https://tarot.example/accounts/password-reset/")


def test_the_sign_up_notice_links_use_the_site_url_not_the_request_host():
    UserFactory(email="reader@example.com")

    APIClient().post(
        "/api/v1/auth/register/",
        {"email": "reader@example.com", "password": PASSWORD},
        format="json",
        HTTP_HOST=FORGED_HOST,
    )

    links = links_in(mail.outbox[0])
    assert links and all(link.startswith("https://tarot.example/") for link in links)


def test_the_sign_up_confirmation_link_uses_the_site_url_not_the_request_host():
    Client().post(
        reverse("accounts:signup"),
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_HOST=FORGED_HOST,
    )

    [link] = links_in(mail.outbox[0])
    assert link.startswith("https://tarot.example/accounts/signup/confirm/")
