"""Who may do what: editors manage the deck only; other staff see nothing."""

import pytest
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from accounts.editors import CONTENT_EDITORS_GROUP
from accounts.models import User
from core.permissions import CONTENT_EDITOR_PERMISSIONS
from readings.models import DailyCard
from readings.services import reading_create
from tarot.admin import CardAdmin
from tarot.models import Card

pytestmark = pytest.mark.django_db


def _card_form_data(card: Card, **changes) -> dict:
    """The card change form as the browser would post it, with ``changes`` applied."""
    data = {}
    for name in flatten_fieldsets(CardAdmin.fieldsets):
        if name in ("slug", "art", "art_preview"):
            continue
        value = getattr(card, name)
        if name == "deck":
            value = card.deck_id
        if value is None:
            value = ""
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value
    data.update(changes)
    return data


def test_the_content_editors_group_has_exactly_the_deck_permissions(db):
    group = Group.objects.get(name=CONTENT_EDITORS_GROUP)

    granted = {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }
    assert granted == set(CONTENT_EDITOR_PERMISSIONS)
    assert len(granted) == 12
    assert not any("delete" in permission for permission in granted)


def test_create_editor_makes_a_staff_member_of_the_group_and_invites_them(db, capsys):
    call_command("create_editor", "New.Editor@Example.com")

    output = capsys.readouterr().out
    user = User.objects.get(email="new.editor@example.com")
    assert user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [CONTENT_EDITORS_GROUP]
    assert "Sent an invitation to new.editor@example.com" in output


def test_create_editor_promotes_an_existing_account_once(db, capsys):
    existing = User.objects.create_user("reader@example.com", "correct horse battery")

    call_command("create_editor", "READER@example.com")
    call_command("create_editor", "reader@example.com")

    existing.refresh_from_db()
    assert existing.is_staff
    assert existing.has_usable_password()
    assert existing.groups.count() == 1
    assert User.objects.count() == 1
    assert "is now a content editor" in capsys.readouterr().out


def test_create_editor_refuses_an_invalid_email(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a valid email address"):
        call_command("create_editor", "not-an-email")
    assert not User.objects.exists()


def test_an_editor_can_change_a_card(editor_client, seeded_deck):
    card = Card.objects.get(slug="the-fool")
    url = reverse("admin:tarot_card_change", args=[card.pk])

    assert editor_client.get(url).status_code == 200
    response = editor_client.post(
        url, _card_form_data(card, meaning_upright_ko="새로운 시작의 용기를 믿어요.")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    card.refresh_from_db()
    assert card.meaning_upright_ko == "새로운 시작의 용기를 믿어요."


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:accounts_user_changelist",
        "admin:accounts_user_add",
        "admin:readings_reading_changelist",
        "admin:readings_dailycard_changelist",
        "auth:group_changelist",
    ],
)
def test_an_editor_cannot_open_users_readings_or_daily_cards(editor_client, url_name):
    url_name = url_name.replace("auth:", "admin:auth_")

    assert editor_client.get(reverse(url_name)).status_code == 403


def test_an_editor_cannot_open_a_reading_or_a_user(editor_client, editor, celtic_cross):
    reading = reading_create(user=editor, spread=celtic_cross)
    daily = DailyCard.objects.create(
        user=editor, date="2026-11-26", card=Card.objects.get(slug="the-sun")
    )

    for url in (
        reverse("admin:readings_reading_change", args=[reading.pk]),
        reverse("admin:readings_dailycard_change", args=[daily.pk]),
        reverse("admin:accounts_user_change", args=[editor.pk]),
    ):
        assert editor_client.get(url).status_code == 403, url


def test_an_editor_cannot_delete_deck_content(editor_client, seeded_deck):
    card = Card.objects.get(slug="the-fool")

    response = editor_client.get(reverse("admin:tarot_card_delete", args=[card.pk]))

    assert response.status_code == 403


def test_the_admin_index_shows_an_editor_only_the_deck(editor_client):
    response = editor_client.get(reverse("admin:index"))

    app_labels = [app["app_label"] for app in response.context["app_list"]]
    assert app_labels == ["tarot"]
    models = {model["object_name"] for model in response.context["app_list"][0]["models"]}
    assert models == {"Card", "Deck", "Spread"}


def test_a_staff_member_without_the_group_sees_nothing(client, staff_without_group, seeded_deck):
    client.force_login(staff_without_group)

    index = client.get(reverse("admin:index"))

    assert index.status_code == 200
    assert index.context["app_list"] == []
    card = Card.objects.get(slug="the-fool")
    for url in (
        reverse("admin:tarot_card_changelist"),
        reverse("admin:tarot_card_change", args=[card.pk]),
        reverse("admin:tarot_deck_changelist"),
        reverse("admin:tarot_deck_import"),
        reverse("admin:tarot_spread_changelist"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:readings_reading_changelist"),
    ):
        assert client.get(url).status_code == 403, url


def test_a_signed_in_visitor_who_is_not_staff_is_sent_to_the_admin_login(client, db):
    visitor = User.objects.create_user("visitor@example.com", "correct horse battery")
    client.force_login(visitor)

    response = client.get(reverse("admin:tarot_card_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_readings_are_read_only_even_for_a_superuser(superuser_client, superuser, celtic_cross):
    reading = reading_create(user=superuser, spread=celtic_cross, question="무엇을 배워야 할까요?")
    url = reverse("admin:readings_reading_change", args=[reading.pk])

    page = superuser_client.get(url)
    posted = superuser_client.post(url, {"question": "바꾼 질문"})

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="question"' not in html
    assert "무엇을 배워야 할까요?" in html
    assert page.context["has_change_permission"] is False
    assert posted.status_code == 403
    reading.refresh_from_db()
    assert reading.question == "무엇을 배워야 할까요?"
    inline = page.context["inline_admin_formsets"][0]
    assert inline.has_add_permission is False
    assert inline.has_change_permission is False
    assert inline.has_delete_permission is False
    assert html.count('class="field-card"') >= 10
    assert superuser_client.get(reverse("admin:readings_reading_add")).status_code == 403
    assert (
        superuser_client.get(
            reverse("admin:readings_reading_delete", args=[reading.pk])
        ).status_code
        == 403
    )


def test_create_editor_recreates_a_deleted_group_with_exactly_the_deck_permissions(db):
    Group.objects.filter(name=CONTENT_EDITORS_GROUP).delete()

    call_command("create_editor", "editor@example.com", stdout=None)

    group = Group.objects.get(name=CONTENT_EDITORS_GROUP)
    assert group.permissions.count() == 12
    assert User.objects.get(email="editor@example.com").has_perm("tarot.change_card")
