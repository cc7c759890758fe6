"""Links in account emails point at settings.SITE_URL, never at the Host a request claimed."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory

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
