"""Card art uploads: only PNG, JPEG and WebP, decoded and re-encoded so only the pixels are
stored (no EXIF/GPS, text chunks or appended payloads); size and pixel limits; never SVG."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image, PngImagePlugin

from tarot.models import Card
from tarot.validation import card_art_clean_copy
from tests.admin.test_permissions import _card_form_data

pytestmark = pytest.mark.django_db

SIZE = (300, 480)
GPS_EXIF_TAG = 0x8825
ORIENTATION_TAG = 0x0112
PAYLOAD = b"<html><script>alert(document.cookie)</script></html>"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="480">'
    b"<script>alert(1)</script></svg>"
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def fool(seeded_deck) -> Card:
    return Card.objects.get(slug="the-fool")


def jpeg_with_gps(size=SIZE, orientation: int | None = None) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif.get_ifd(GPS_EXIF_TAG).update(
        {1: "N", 2: (37.0, 33.0, 59.0), 3: "E", 4: (126.0, 58.0, 41.0)}
    )
    if orientation:
        exif[ORIENTATION_TAG] = orientation
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="JPEG", exif=exif, comment=b"secret")
    return buffer.getvalue()


def png_with_text_and_payload() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "reader@example.com")
    buffer = io.BytesIO()
    Image.new("RGB", SIZE, (10, 90, 30)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue() + PAYLOAD


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A tiny PNG whose header claims 900 megapixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def upload(client, card, name: str, content: bytes, content_type: str = "image/png"):
    art = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(
        reverse("admin:tarot_card_change", args=[card.pk]), _card_form_data(card, art=art)
    )


def art_errors(response) -> list[str]:
    return response.context["adminform"].form.errors.get("art", [])


def stored_bytes(card: Card) -> bytes:
    card.refresh_from_db()
    with default_storage.open(card.art.name, "rb") as stored:
        return stored.read()


def test_a_photo_is_stored_without_its_exif_gps_or_comment(editor_client, fool):
    original = jpeg_with_gps()
    assert b"PhoneMaker" in original

    response = upload(editor_client, fool, "fool.jpg", original, "image/jpeg")

    assert response.status_code == 302, art_errors(response)
    stored = stored_bytes(fool)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == SIZE
        assert not image.getexif()
        assert "comment" not in image.info
        assert image.getpixel((10, 10))[0] > 180  # still the same red picture
    assert b"PhoneMaker" not in stored
    assert b"secret" not in stored


def test_a_photo_taken_sideways_is_stored_upright(editor_client, fool):
    # EXIF orientation 6: the camera stored it rotated; viewers turn it 90° clockwise.
    response = upload(
        editor_client, fool, "fool.jpg", jpeg_with_gps((480, 300), orientation=6), "image/jpeg"
    )

    assert response.status_code == 302, art_errors(response)
    with Image.open(io.BytesIO(stored_bytes(fool))) as image:
        assert image.size == SIZE
        assert ORIENTATION_TAG not in image.getexif()


def test_text_chunks_and_bytes_appended_after_the_image_are_dropped(editor_client, fool):
    response = upload(editor_client, fool, "fool.png", png_with_text_and_payload())

    assert response.status_code == 302, art_errors(response)
    stored = stored_bytes(fool)
    assert PAYLOAD not in stored
    assert b"reader@example.com" not in stored
    assert stored.endswith(b"IEND\xaeB`\x82")
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG"
        assert image.text == {}


def test_webp_is_re_encoded_as_webp(editor_client, fool):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", SIZE, (0, 0, 200)).save(buffer, format="WEBP", exif=exif)
    assert b"PhoneMaker" in buffer.getvalue()

    response = upload(editor_client, fool, "fool.webp", buffer.getvalue(), "image/webp")

    assert response.status_code == 302, art_errors(response)
    stored = stored_bytes(fool)
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "WEBP"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fool.svg", SVG, "Upload a valid image."),
        ("fool.png", SVG, "Upload a valid image."),
        ("fool.html", PAYLOAD, "Upload a valid image."),
        ("fool.png", png_bomb(), "Upload a valid image."),
        ("fool.png", png_bomb(6001, 300), "each side may be at most 6000"),
    ],
    ids=["svg", "svg-named-png", "html", "decompression-bomb", "too-wide"],
)
def test_anything_but_a_raster_image_within_the_limits_is_refused(
    editor_client, fool, name, content, message
):
    response = upload(editor_client, fool, name, content)

    assert response.status_code == 200
    errors = art_errors(response)
    assert len(errors) == 1 and message in errors[0], errors
    fool.refresh_from_db()
    assert not fool.art


def test_the_art_rules_name_a_decompression_bomb():
    with pytest.raises(ValidationError, match="too large to open safely"):
        card_art_clean_copy(io.BytesIO(png_bomb()), name="bomb.png")


def test_art_imported_from_a_deck_zip_is_re_encoded_too(seeded_deck, tmp_path):
    archive_path = tmp_path / "deck.zip"
    exported = tmp_path / "deck.json"
    call_command("export_deck", "--output", str(exported), stdout=io.StringIO())
    document = exported.read_text()
    document = document.replace('"art": null', '"art": "cards/the-fool.jpg"', 1)
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.writestr("deck.json", document)
        archive.writestr("art/cards/the-fool.jpg", jpeg_with_gps())

    call_command("import_deck", str(archive_path), stdout=io.StringIO())

    card = Card.objects.exclude(art="").get()
    stored = stored_bytes(card)
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()


def test_production_nginx_serves_media_with_nosniff_and_a_sandbox():
    from pathlib import Path

    config = (Path(__file__).resolve().parents[2] / "deploy/nginx/production.conf").read_text()
    media = config.split("location /media/ {", 1)[1].split("}", 1)[0]

    assert 'add_header X-Content-Type-Options "nosniff" always;' in media
    assert "sandbox" in media and "default-src 'none'" in media
    # Content types come from nginx's own table, by extension: only .png/.jpg/.jpeg/.webp exist.
    assert "include /etc/nginx/mime.types;" in config
