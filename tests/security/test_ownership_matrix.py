"""The ownership matrix: user B, signed in, tries every page and API URL that addresses user A's
readings, notes, share links, daily cards and account. Each answers 404 (or, in the admin,
a redirect to its login or 403), and nothing of A's changes."""

import datetime

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from readings.models import DailyCard, DrawnCard, Reading
from readings.services import (
    daily_card_get_or_create,
    reading_create,
    reading_share,
    reading_update_notes,
)
from tarot.models import Spread
from tests.accounts.factories import PASSWORD, UserFactory
from tests.api.conftest import bearer, error_of

pytestmark = pytest.mark.django_db

A_QUESTION = "A의 비밀 질문"
A_NOTES = "A의 일기: 아무도 보면 안 됨"
A_EMAIL = "alice@example.com"


@pytest.fixture
def alice(seeded_deck):
    user = UserFactory(email=A_EMAIL, display_name="Alice")
    spread = Spread.objects.get(slug="three-card-past-present-future")
    reading = reading_create(user=user, spread=spread, question=A_QUESTION)
    reading_update_notes(reading=reading, notes=A_NOTES)
    reading_share(reading=reading)
    reading_create(user=user, spread=spread, question="A의 공유 안 한 리딩")
    # An anonymous reading: only its share link leads to it, never its id.
    reading_create(user=None, spread=spread, question="익명 리딩")
    for days_ago in range(3):
        daily_card_get_or_create(
            user=user, on_date=user.local_date() - datetime.timedelta(days=days_ago)
        )
    return user


@pytest.fixture
def bob(db):
    return UserFactory(email="bob@example.com")


def snapshot_of(user: User) -> dict:
    """Every row of A's that B could try to change, with every field."""
    readings = Reading.objects.filter(user=user).order_by("pk")
    return {
        "user": model_to_dict(User.objects.get(pk=user.pk)),
        "readings": [
            model_to_dict(reading) | {"updated": reading.updated_at} for reading in readings
        ],
        "anonymous": list(Reading.objects.filter(user=None).values()),
        "drawn": list(DrawnCard.objects.filter(reading__user=user).order_by("pk").values()),
        "daily": list(DailyCard.objects.filter(user=user).order_by("pk").values()),
    }


def readings_of(user: User) -> list[int]:
    return list(Reading.objects.filter(user=user).order_by("pk").values_list("pk", flat=True))


# --- Pages: (method, URL name, data); every one of A's reading ids is tried -----------------

READING_PAGES = [
    ("get", "readings:detail", None),
    ("post", "readings:notes", {"notes": "B was here"}),
    ("post", "readings:share", {"action": "create"}),
    ("post", "readings:share", {"action": "revoke"}),
    ("get", "readings:delete", None),
    ("post", "readings:delete", {}),
]


@pytest.mark.parametrize("language", ["", "/en"])
@pytest.mark.parametrize(("method", "name", "data"), READING_PAGES)
def test_b_gets_404_on_every_page_addressing_a_reading_of_someone_else(
    client, alice, bob, method, name, data, language
):
    before = snapshot_of(alice)
    targets = [*readings_of(alice), Reading.objects.get(user=None).pk]
    client.force_login(bob)

    for reading_id in targets:
        url = language + reverse(name, kwargs={"pk": reading_id}).removeprefix("/en")
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (url, response.status_code)
        assert A_QUESTION not in response.content.decode()

    assert snapshot_of(alice) == before


@pytest.mark.parametrize(
    "path", ["/journal/", "/daily/", "/accounts/preferences/", "/accounts/export/", "/"]
)
def test_b_s_own_pages_show_nothing_of_a(client, alice, bob, path):
    before = snapshot_of(alice)
    client.force_login(bob)

    response = client.get(path)

    assert response.status_code == 200
    body = response.content.decode()
    for private in (A_QUESTION, A_NOTES, A_EMAIL, "Alice"):
        assert private not in body
    assert snapshot_of(alice) == before


def test_b_changing_preferences_or_deleting_an_account_only_touches_b(client, alice, bob):
    before = snapshot_of(alice)
    client.force_login(bob)

    client.post(
        reverse("accounts:preferences"),
        {
            "display_name": "Bob",
            "language": "en",
            "time_zone": "UTC",
            "notification_time": "07:00",
            "notification_channel": "email",
        },
    )
    # A's password does not delete anything: the form asks for the signed-in user's own.
    assert client.post(reverse("accounts:delete"), {"password": PASSWORD + "x"}).status_code == 200
    assert client.post(reverse("accounts:delete"), {"password": PASSWORD}).status_code == 302

    assert snapshot_of(alice) == before
    assert not User.objects.filter(pk=bob.pk).exists()


@pytest.mark.parametrize(
    "admin_url",
    [
        "admin:readings_reading_change",
        "admin:readings_reading_delete",
        "admin:readings_dailycard_changelist",
        "admin:accounts_user_change",
        "admin:accounts_user_delete",
    ],
)
@pytest.mark.parametrize("staff", [False, True], ids=["member", "staff-without-permission"])
def test_the_admin_turns_b_away(client, alice, bob, admin_url, staff):
    before = snapshot_of(alice)
    bob.is_staff = staff
    bob.save()
    client.force_login(bob)
    target = readings_of(alice)[0] if admin_url.startswith("admin:readings_reading") else alice.pk
    args = [] if admin_url.endswith("changelist") else [target]

    response = client.get(reverse(admin_url, args=args))
    posted = client.post(reverse(admin_url, args=args), {"post": "yes"})

    if staff:
        assert response.status_code == 403
        assert posted.status_code == 403
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert posted.status_code == 302
    assert snapshot_of(alice) == before


# --- API ----------------------------------------------------------------------------------

READING_ENDPOINTS = [
    ("get", "api:reading-detail", None),
    ("patch", "api:reading-detail", {"notes": "B was here"}),
    ("delete", "api:reading-detail", None),
    ("post", "api:reading-share", None),
    ("delete", "api:reading-share", None),
]


@pytest.mark.parametrize(("method", "name", "data"), READING_ENDPOINTS)
def test_b_gets_404_on_every_api_operation_on_a_reading_of_someone_else(
    alice, bob, method, name, data
):
    before = snapshot_of(alice)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=bearer(bob))
    targets = [*readings_of(alice), Reading.objects.get(user=None).pk]

    for reading_id in targets:
        response = getattr(api, method)(
            reverse(name, kwargs={"reading_id": reading_id}), data, format="json"
        )
        assert response.status_code == 404, (reading_id, response.status_code)
        assert error_of(response)["code"] == "not_found"

    assert snapshot_of(alice) == before


@pytest.mark.parametrize(
    "name",
    ["api:reading-list", "api:daily-card", "api:daily-card-history", "api:me", "api:me-export"],
)
def test_b_s_own_api_answers_show_nothing_of_a(alice, bob, name):
    before = snapshot_of(alice)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=bearer(bob))

    response = api.get(reverse(name))

    assert response.status_code == 200
    body = response.content.decode()
    for private in (A_QUESTION, A_NOTES, A_EMAIL, "Alice"):
        assert private not in body
    assert snapshot_of(alice) == before


def test_b_changing_or_deleting_me_over_the_api_only_touches_b(alice, bob):
    before = snapshot_of(alice)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=bearer(bob))

    assert api.patch(reverse("api:me"), {"display_name": "Bob"}, format="json").status_code == 200
    assert api.delete(reverse("api:me"), {"password": PASSWORD}, format="json").status_code == 204

    assert snapshot_of(alice) == before


def test_a_token_of_a_deleted_account_opens_nothing(alice, bob):
    token = bearer(bob)
    bob.delete()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=token)

    assert api.get(reverse("api:reading-list")).status_code == 401
    assert (
        api.get(
            reverse("api:reading-detail", kwargs={"reading_id": readings_of(alice)[0]})
        ).status_code
        == 401
    )
