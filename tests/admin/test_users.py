"""The user admin: email sign-in, preferences shown, Django's password handling."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import User
from readings.services import reading_create
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_admin(settings):
    settings.LANGUAGE_CODE = "en"


def test_a_superuser_adds_a_user_by_email_with_a_password(superuser_client):
    response = superuser_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Reader@Example.com",
            "usable_password": "true",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.reader@example.com")
    assert user.check_password("a long enough passphrase 42")


def test_an_email_taken_in_another_letter_case_is_refused(superuser_client):
    UserFactory(email="taken@example.com")

    response = superuser_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "TAKEN@example.com",
            "usable_password": "true",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )

    assert response.context["adminform"].form.errors["email"] == [
        "A user with this email address already exists."
    ]


def test_the_change_form_shows_preferences_and_hides_the_password_hash(superuser_client, superuser):
    person = UserFactory(notifications_enabled=True, notification_channel="sms")

    response = superuser_client.get(reverse("admin:accounts_user_change", args=[person.pk]))

    html = response.content.decode()
    for field in ("time_zone", "language", "notification_time", "notification_channel"):
        assert f'name="{field}"' in html
    assert person.password not in html
    assert 'href="../password/"' in html


def test_the_password_change_page_sets_a_new_password(superuser_client):
    person = UserFactory()

    response = superuser_client.post(
        reverse("admin:auth_user_password_change", args=[person.pk]),
        {
            "usable_password": "true",
            "password1": "another long passphrase 7",
            "password2": "another long passphrase 7",
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("another long passphrase 7")


def test_the_user_list_shows_each_persons_notification_choice(superuser_client):
    UserFactory(notifications_enabled=True, notification_channel="email")

    response = superuser_client.get(reverse("admin:accounts_user_changelist"))

    assert "08:00 · Email" in response.content.decode()


def test_staff_with_the_view_permission_read_readings_but_cannot_change_them(client, celtic_cross):
    support = UserFactory(is_staff=True)
    support.user_permissions.add(
        Permission.objects.get(codename="view_reading"),
        Permission.objects.get(codename="view_dailycard"),
    )
    reading = reading_create(user=UserFactory(), spread=celtic_cross, question="이직해도 될까요?")
    client.force_login(support)

    listing = client.get(reverse("admin:readings_reading_changelist"))
    filtered = client.get(
        reverse("admin:readings_reading_changelist"), {"spread__id__exact": celtic_cross.pk}
    )
    detail = client.get(reverse("admin:readings_reading_change", args=[reading.pk]))
    change = client.post(reverse("admin:readings_reading_change", args=[reading.pk]), {})

    assert listing.status_code == 200
    assert filtered.context["cl"].result_count == 1
    assert detail.status_code == 200
    assert "이직해도 될까요?" in detail.content.decode()
    assert change.status_code == 403
    assert client.get(reverse("admin:readings_dailycard_changelist")).status_code == 200
