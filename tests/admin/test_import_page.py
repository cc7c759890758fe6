"""Editors move content in the admin: export action (download) and import with a preview."""

import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tarot.cache import deck_content_version
from tarot.exchange import deck_export
from tarot.models import Card, Deck

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_admin_and_tmp_media(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path


def _upload(document: dict, name: str = "deck.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(document, ensure_ascii=False).encode())


def test_the_export_action_downloads_the_deck_as_json(editor_client, seeded_deck):
    response = editor_client.post(
        reverse("admin:tarot_deck_changelist"),
        {"action": "export_json", "_selected_action": [seeded_deck.pk]},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="deck-rider-waite-smith-'
    )
    document = json.loads(response.content)
    assert len(document["cards"]) == 78
    assert document["cards"][0]["name"] == {"ko": "바보", "en": "The Fool"}


def test_the_export_with_art_action_downloads_a_zip(editor_client, seeded_deck):
    response = editor_client.post(
        reverse("admin:tarot_deck_changelist"),
        {"action": "export_archive", "_selected_action": [seeded_deck.pk]},
    )

    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.namelist() == ["deck.json"]


def test_exporting_two_decks_at_once_is_refused_with_a_message(editor_client, seeded_deck):
    other = Deck.objects.create(slug="second", name_ko="둘째", name_en="Second")

    response = editor_client.post(
        reverse("admin:tarot_deck_changelist"),
        {"action": "export_json", "_selected_action": [seeded_deck.pk, other.pk]},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == ["Select exactly one deck to export."]


def test_the_deck_list_links_to_the_import_page_for_editors(editor_client, seeded_deck):
    response = editor_client.get(reverse("admin:tarot_deck_changelist"))

    assert reverse("admin:tarot_deck_import") in response.content.decode()
    assert response.context["cl"].result_list[0].card_count == 78


def test_import_preview_then_confirm_applies_the_file(
    editor_client, seeded_deck, django_capture_on_commit_callbacks
):
    document = deck_export(deck=seeded_deck)
    document["cards"][0]["meaning_upright"]["ko"] = "스테이징에서 고친 뜻"
    url = reverse("admin:tarot_deck_import")

    preview = editor_client.post(url, {"file": _upload(document)})

    assert preview.status_code == 200
    report = preview.context["report"]
    assert report.dry_run
    assert report.counts["cards"] == {"created": 0, "updated": 1, "unchanged": 77, "deleted": 0}
    html = preview.content.decode()
    assert "the-fool" in html and "meaning_upright_ko" in html
    assert Card.objects.get(slug="the-fool").meaning_upright_ko != "스테이징에서 고친 뜻"
    version = deck_content_version()

    with django_capture_on_commit_callbacks(execute=True):
        applied = editor_client.post(url, {"token": preview.context["token"]}, follow=True)

    assert applied.redirect_chain[-1][0] == reverse("admin:tarot_deck_changelist")
    assert Card.objects.get(slug="the-fool").meaning_upright_ko == "스테이징에서 고친 뜻"
    (message,) = applied.context["messages"]
    assert "cards: 0 created, 1 updated, 77 unchanged" in str(message)
    assert deck_content_version() > version
    _directories, pending = default_storage.listdir("deck-imports")
    assert pending == []


def test_a_file_without_changes_offers_nothing_to_apply(editor_client, seeded_deck):
    response = editor_client.post(
        reverse("admin:tarot_deck_import"), {"file": _upload(deck_export(deck=seeded_deck))}
    )

    assert "The file matches the database: there is nothing to import." in (
        response.content.decode()
    )
    assert 'name="token"' not in response.content.decode()


def test_a_bad_file_shows_each_problem_with_its_location(editor_client, seeded_deck):
    document = deck_export(deck=seeded_deck)
    document["cards"][30]["suit"] = None
    document["cards"][31]["slug"] = "the-fool"

    response = editor_client.post(reverse("admin:tarot_deck_import"), {"file": _upload(document)})

    html = response.content.decode()
    assert response.context["import_error"].lines == [
        "cards[30].suit: A minor card needs a suit.",
        "cards[31].slug: “the-fool” is already used by cards[0]",
    ]
    assert "cards[30].suit: A minor card needs a suit." in html
    assert "token" not in response.context


def test_an_upload_that_is_not_json_or_zip_is_refused(editor_client, seeded_deck):
    response = editor_client.post(
        reverse("admin:tarot_deck_import"),
        {"file": SimpleUploadedFile("deck.csv", b"slug,name\n")},
    )

    assert response.context["form"].errors["file"] == [
        "Upload the .json or .zip file an export produced."
    ]


def test_a_forged_or_foreign_token_applies_nothing(editor_client, client, superuser, seeded_deck):
    document = deck_export(deck=seeded_deck)
    document["cards"][0]["name"]["en"] = "The Jester"
    url = reverse("admin:tarot_deck_import")
    token = editor_client.post(url, {"file": _upload(document)}).context["token"]
    client.force_login(superuser)

    foreign = client.post(url, {"token": token}, follow=True)
    forged = editor_client.post(url, {"token": token + "x"}, follow=True)

    for response in (foreign, forged):
        assert [str(m) for m in response.context["messages"]] == [
            "That preview has expired; upload the file again."
        ]
    assert Card.objects.get(slug="the-fool").name_en == "The Fool"


def test_staff_without_deck_permissions_cannot_import(client, staff_without_group):
    client.force_login(staff_without_group)

    assert client.get(reverse("admin:tarot_deck_import")).status_code == 403
