"""A deploy (a new ``APP_RELEASE``): what one release cached from its own code is never read by
the next, while sessions, throttle counts and the sign-in lockout carry over."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from readings.cache import journal_cached
from tarot.cache import deck_content_cached
from tests.accounts.factories import PASSWORD, UserFactory
from tests.api.conftest import bearer
from tests.security.test_lockout import LIMIT, WRONG, site_login

pytestmark = pytest.mark.django_db

OLD_RELEASE = "3f2c1ab"
NEW_RELEASE = "9d8e7f6"
ME = "/api/v1/me/"


def test_deck_content_cached_by_one_release_is_not_read_after_a_deploy(settings):
    settings.APP_RELEASE = OLD_RELEASE
    deck_content_cached(key="fragment", build=lambda: "old release", timeout=60)
    before_deploy = deck_content_cached(key="fragment", build=lambda: "rebuilt", timeout=60)

    settings.APP_RELEASE = NEW_RELEASE
    after_deploy = deck_content_cached(key="fragment", build=lambda: "new release", timeout=60)

    assert (before_deploy, after_deploy) == ("old release", "new release")


def test_a_journal_page_cached_by_one_release_is_not_read_after_a_deploy(settings):
    user = UserFactory()
    settings.APP_RELEASE = OLD_RELEASE
    journal_cached(user_id=user.pk, key="page-1", build=lambda: "old release", timeout=60)
    before_deploy = journal_cached(user_id=user.pk, key="page-1", build=lambda: "x", timeout=60)

    settings.APP_RELEASE = NEW_RELEASE
    after_deploy = journal_cached(
        user_id=user.pk, key="page-1", build=lambda: "new release", timeout=60
    )

    assert (before_deploy, after_deploy) == ("old release", "new release")


def test_the_api_user_row_cached_by_one_release_is_not_read_after_a_deploy(settings):
    user = UserFactory()
    user_client = APIClient()
    user_client.credentials(HTTP_AUTHORIZATION=bearer(user))
    settings.APP_RELEASE = OLD_RELEASE
    user_client.get(ME)
    # A write that sends no signal, so the cached row is not dropped: only the key can tell.
    User.objects.filter(pk=user.pk).update(display_name="renamed")
    before_deploy = user_client.get(ME).json()["display_name"]

    settings.APP_RELEASE = NEW_RELEASE
    after_deploy = user_client.get(ME).json()["display_name"]

    assert (before_deploy, after_deploy) == (user.display_name, "renamed")


def test_a_signed_in_session_survives_a_deploy(settings, client):
    settings.APP_RELEASE = OLD_RELEASE
    client.force_login(UserFactory())

    settings.APP_RELEASE = NEW_RELEASE
    response = client.get(reverse("readings:journal"))

    assert response.status_code == 200


def test_throttle_counts_survive_a_deploy(settings, seeded_deck):
    anon_client = APIClient()
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "3/min"}
    settings.APP_RELEASE = OLD_RELEASE
    before_deploy = [anon_client.get("/api/v1/cards/?search=fool").status_code for _ in range(3)]

    settings.APP_RELEASE = NEW_RELEASE
    after_deploy = anon_client.get("/api/v1/cards/?search=fool").status_code

    assert (before_deploy, after_deploy) == ([200, 200, 200], 429)


def test_the_sign_in_lockout_survives_a_deploy(settings, client):
    reader = UserFactory(email="reader@example.com")
    settings.APP_RELEASE = OLD_RELEASE
    for _attempt in range(LIMIT):
        site_login(client, reader.email, WRONG)

    settings.APP_RELEASE = NEW_RELEASE

    assert site_login(client, reader.email, PASSWORD).status_code == 429
