"""Every admin page renders for a superuser with a number of queries that does not grow."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from readings.models import DailyCard, NotificationDelivery, Reading
from readings.services import reading_create
from tarot.models import Card, Deck, Spread
from tests.accounts.factories import UserFactory
from tests.subprocesses import run_python

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cold_content_type_cache():
    # Earlier tests may have warmed this process-wide cache; count from a cold start.
    ContentType.objects.clear_cache()


@pytest.fixture
def readings(seeded_deck, celtic_cross, three_card_spread):
    """Readings and daily cards from several people, so per-row queries would show."""
    people = UserFactory.create_batch(3)
    for person in people:
        reading_create(user=person, spread=celtic_cross, question="일은 어떻게 될까요?")
        reading_create(user=person, spread=three_card_spread)
        for day in range(3):
            DailyCard.objects.create(
                user=person,
                date=datetime.date(2026, 11, 20 + day),
                card=Card.objects.filter(deck=seeded_deck)[day],
            )
    return Reading.objects.filter(spread=celtic_cross).first()


def _changelists():
    return [
        ("admin:tarot_card_changelist", {}),
        ("admin:tarot_deck_changelist", {}),
        ("admin:tarot_spread_changelist", {}),
        ("admin:readings_reading_changelist", {}),
        ("admin:readings_dailycard_changelist", {}),
        ("admin:accounts_user_changelist", {}),
    ]


# Queries per page: session, user, then the page's own; none of them repeat per row.
CHANGELIST_QUERIES = {
    "admin:tarot_card_changelist": 6,
    "admin:tarot_deck_changelist": 5,
    "admin:tarot_spread_changelist": 5,
    "admin:readings_reading_changelist": 8,
    "admin:readings_dailycard_changelist": 6,
    "admin:accounts_user_changelist": 6,
}


@pytest.mark.parametrize("url_name", sorted(CHANGELIST_QUERIES))
def test_changelist_renders_with_a_fixed_number_of_queries(
    url_name, superuser_client, readings, django_assert_num_queries
):
    with django_assert_num_queries(CHANGELIST_QUERIES[url_name]):
        response = superuser_client.get(reverse(url_name))

    assert response.status_code == 200


def test_card_changelist_lists_all_78_cards_with_thumbnails(superuser_client, seeded_deck):
    response = superuser_client.get(reverse("admin:tarot_card_changelist"))

    html = response.content.decode()
    assert response.context["cl"].result_count == 78
    assert html.count('class="card-thumbnail"') == 78
    fool = Card.objects.get(slug="the-fool")
    assert f'src="{reverse("admin:tarot_card_face", args=[fool.pk])}?v=' in html
    assert "바보" in html and "The Fool" in html


def _change_urls(readings, superuser):
    card = Card.objects.get(slug="the-fool")
    return {
        "card": reverse("admin:tarot_card_change", args=[card.pk]),
        "deck": reverse("admin:tarot_deck_change", args=[Deck.objects.get().pk]),
        "spread": reverse(
            "admin:tarot_spread_change", args=[Spread.objects.get(slug="celtic-cross").pk]
        ),
        "reading": reverse("admin:readings_reading_change", args=[readings.pk]),
        "dailycard": reverse(
            "admin:readings_dailycard_change", args=[DailyCard.objects.first().pk]
        ),
        "user": reverse("admin:accounts_user_change", args=[superuser.pk]),
        "card add": reverse("admin:tarot_card_add"),
        "spread add": reverse("admin:tarot_spread_add"),
        "user add": reverse("admin:accounts_user_add"),
        "deck import": reverse("admin:tarot_deck_import"),
    }


CHANGEFORM_QUERIES = {
    "card": 5,
    "deck": 4,
    "spread": 6,
    "reading": 5,
    "dailycard": 4,
    "user": 8,
    "card add": 4,
    "spread add": 3,
    "user add": 3,
    "deck import": 2,
}


@pytest.mark.parametrize("page", sorted(CHANGEFORM_QUERIES))
def test_change_form_renders_with_a_fixed_number_of_queries(
    page, superuser_client, superuser, readings, django_assert_num_queries
):
    url = _change_urls(readings, superuser)[page]

    with django_assert_num_queries(CHANGEFORM_QUERIES[page]):
        response = superuser_client.get(url)

    assert response.status_code == 200


def test_admin_title_and_header_are_the_product_name(superuser_client):
    response = superuser_client.get(reverse("admin:index"))

    with translation.override("en"):
        assert str(admin.site.site_header) == "Tarot Master"
        assert str(admin.site.site_title) == "Tarot Master"
    # The admin is outside the i18n URL patterns, so it speaks the default language, Korean.
    with translation.override("ko"):
        title = translation.gettext("Tarot Master")
    assert response.context["site_header"] == title
    assert f"| {title}</title>" in response.content.decode()


def test_the_admin_path_comes_from_django_admin_url():
    probe = (
        "import django; django.setup(); "
        "from django.urls import reverse; print(reverse('admin:index'))"
    )
    result = run_python(["-c", probe], environment={"DJANGO_ADMIN_URL": "back-office-7f3a/"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/back-office-7f3a/"


def test_notification_deliveries_are_listed_read_only_for_superusers(admin_client):
    changelist = admin_client.get(reverse("admin:readings_notificationdelivery_changelist"))
    add = admin_client.get(reverse("admin:readings_notificationdelivery_add"))

    assert changelist.status_code == 200
    assert add.status_code == 403
    assert NotificationDelivery.objects.count() == 0
