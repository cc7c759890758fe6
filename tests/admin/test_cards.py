"""The card admin: list, change form, art upload rules, publishing, cache invalidation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tarot.admin import card_face_url
from tarot.cache import deck_content_version
from tarot.models import Card
from tests.admin.images import image_upload
from tests.admin.test_permissions import _card_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _english_admin(settings):
    # The admin speaks the default language; English here lets the tests read the source text.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def fool(seeded_deck) -> Card:
    return Card.objects.get(slug="the-fool")


def _post_card(client, card, **changes):
    return client.post(
        reverse("admin:tarot_card_change", args=[card.pk]), _card_form_data(card, **changes)
    )


def _art_errors(response) -> list[str]:
    return response.context["adminform"].form.errors.get("art", [])


@pytest.mark.parametrize(
    ("name", "image_format"),
    [("fool.png", "PNG"), ("fool.jpg", "JPEG"), ("fool.jpeg", "JPEG"), ("fool.webp", "WEBP")],
)
def test_png_jpeg_and_webp_art_is_accepted_and_shown_in_list_and_preview(
    editor_client, fool, name, image_format, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_card(editor_client, fool, art=image_upload(name, image_format))

    assert response.status_code == 302, _art_errors(response)
    fool.refresh_from_db()
    assert fool.art.name.startswith("cards/fool")
    changelist = editor_client.get(reverse("admin:tarot_card_changelist")).content.decode()
    assert fool.art.url in changelist
    change_form = editor_client.get(reverse("admin:tarot_card_change", args=[fool.pk]))
    preview = change_form.content.decode()
    assert f'src="{fool.art.url}"' in preview
    assert reverse("admin:tarot_card_face", args=[fool.pk]) in preview


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (image_upload("fool.gif", "GIF"), "Upload a PNG, JPEG or WebP image; this file is GIF."),
        (image_upload("fool.bmp", "BMP"), "Upload a PNG, JPEG or WebP image; this file is BMP."),
        (
            image_upload("fool.png", padding=5 * 1024 * 1024),
            "The image is 5.0\xa0MB; the limit is 5.0\xa0MB.",
        ),
        (
            image_upload("fool.jpg", "PNG"),
            "The file is named .jpg but contains a PNG image.",
        ),
        (
            image_upload("fool.png", size=(60, 96)),
            "The image is 60×96 pixels; it must be at least 150×240.",
        ),
        (
            image_upload("fool.png", size=(6100, 300)),
            "The image is 6100×300 pixels; each side may be at most 6000 "
            "and the whole at most 24 megapixels.",
        ),
    ],
    ids=["gif", "bmp", "too-big", "wrong-extension", "too-small", "too-wide"],
)
def test_bad_art_is_refused_with_a_clear_error(editor_client, fool, upload, message):
    response = _post_card(editor_client, fool, art=upload)

    assert response.status_code == 200
    assert _art_errors(response) == [message]
    fool.refresh_from_db()
    assert not fool.art


def test_a_file_that_is_not_an_image_is_refused(editor_client, fool):
    upload = SimpleUploadedFile("fool.png", b"definitely not a picture", content_type="image/png")

    response = _post_card(editor_client, fool, art=upload)

    assert response.status_code == 200
    assert _art_errors(response) == [
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ]
    fool.refresh_from_db()
    assert not fool.art


def test_the_size_limit_counts_bytes_not_megabytes_rounded(editor_client, fool):
    almost = image_upload("fool.png")
    almost_padding = 5 * 1024 * 1024 - almost.size

    response = _post_card(editor_client, fool, art=image_upload("fool.png", padding=almost_padding))

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"suit": ""}, "suit", "A minor card needs a suit."),
        ({"rank": ""}, "rank", "A minor card needs a rank (1 Ace … 10, 11 Page … 14 King)."),
        ({"number": 5}, "number", "A minor card's number equals its rank (3)."),
        ({"arcana": "major", "number": 3}, "suit", "A major card has no suit."),
    ],
)
def test_card_identity_errors_name_the_field(editor_client, seeded_deck, changes, field, message):
    card = Card.objects.get(slug="three-of-cups")

    response = _post_card(editor_client, card, **changes)

    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field]


def test_the_korean_name_is_required(editor_client, fool):
    response = _post_card(editor_client, fool, name_ko="")

    assert response.status_code == 200
    assert "name_ko" in response.context["adminform"].form.errors


def test_the_slug_is_read_only_after_creation(editor_client, fool):
    response = _post_card(editor_client, fool, slug="renamed-fool")

    assert response.status_code == 302
    fool.refresh_from_db()
    assert fool.slug == "the-fool"
    add_form = editor_client.get(reverse("admin:tarot_card_add"))
    assert "slug" in add_form.context["adminform"].form.fields


def test_the_change_form_groups_fields_by_language(editor_client, fool):
    response = editor_client.get(reverse("admin:tarot_card_change", args=[fool.pk]))

    fieldsets = {
        str(fieldset.name): [
            field for line in fieldset for field_line in [line] for field in field_line.fields
        ]
        for fieldset in response.context["adminform"]
    }
    titles = list(fieldsets)
    assert len(titles) == 5
    korean, english = titles[1], titles[2]
    assert "meaning_upright_ko" in fieldsets[korean]
    assert "meaning_upright_en" in fieldsets[english]
    assert "art_preview" in fieldsets[titles[4]]


def test_saving_a_card_moves_the_deck_content_version(
    editor_client, fool, django_capture_on_commit_callbacks
):
    before = deck_content_version()

    with django_capture_on_commit_callbacks(execute=True):
        response = _post_card(editor_client, fool, summary_upright_ko="새 요약")

    assert response.status_code == 302
    assert deck_content_version() > before


def test_publish_and_unpublish_actions(
    editor_client, seeded_deck, django_capture_on_commit_callbacks
):
    majors = list(Card.objects.filter(arcana="major").values_list("pk", flat=True))
    url = reverse("admin:tarot_card_changelist")
    version = deck_content_version()

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url, {"action": "unpublish", "_selected_action": majors})
    unpublished_version = deck_content_version()
    assert Card.objects.filter(is_published=False).count() == 22
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url, {"action": "publish", "_selected_action": majors[:5]})

    assert Card.objects.filter(is_published=False).count() == 17
    assert version < unpublished_version < deck_content_version()


def test_has_uploaded_art_filter_and_bilingual_search(editor_client, fool):
    fool.art = "cards/fool.png"
    fool.save()
    url = reverse("admin:tarot_card_changelist")

    with_art = editor_client.get(url, {"has_art": "yes"}).context["cl"].result_count
    without_art = editor_client.get(url, {"has_art": "no"}).context["cl"].result_count
    korean = editor_client.get(url, {"q": "바보"}).context["cl"].result_count
    english = editor_client.get(url, {"q": "fool"}).context["cl"].result_count

    assert (with_art, without_art) == (1, 77)
    assert korean >= 1 and english >= 1
    minors = editor_client.get(url, {"arcana__exact": "minor", "suit__exact": "cups"})
    assert minors.context["cl"].result_count == 14


def test_the_card_list_is_in_deck_order(editor_client, seeded_deck):
    response = editor_client.get(reverse("admin:tarot_card_changelist"))

    slugs = [card.slug for card in response.context["cl"].result_list]
    assert slugs[0] == "the-fool"
    assert slugs[21] == "the-world"
    assert len(slugs) == 78


def test_the_generated_face_is_served_for_drafts_too(editor_client, fool):
    Card.objects.filter(pk=fool.pk).update(is_published=False)
    fool.refresh_from_db()
    url = card_face_url(fool)

    response = editor_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response.content.startswith(b"<svg") or b"<svg" in response.content[:200]
    assert "max-age=2592000" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    stale = editor_client.get(reverse("admin:tarot_card_face", args=[fool.pk]), {"v": "old"})
    assert "no-cache" in stale["Cache-Control"]


def test_the_generated_face_needs_the_card_permission(client, staff_without_group, fool):
    client.force_login(staff_without_group)

    response = client.get(card_face_url(fool))

    assert response.status_code == 403


def test_the_preview_shows_the_upload_and_the_generated_face_side_by_side(editor_client, fool):
    fool.art = "cards/fool.png"
    fool.save()

    response = editor_client.get(reverse("admin:tarot_card_change", args=[fool.pk]))

    html = response.content.decode()
    preview = html[html.index('class="card-art-preview"') :]
    assert preview.index('src="/media/cards/fool.png"') < preview.index(card_face_url(fool))
    assert "Uploaded art: this is what the site shows." in preview
