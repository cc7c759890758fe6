"""Hostile deck files: each is refused with its location, in the admin and by import_deck.

A file an attacker (or a broken tool) made must never become a 500, a traceback, a database
error or a worker that runs out of memory; the database and media storage stay as they were.
"""

import io
import json
import struct
import tracemalloc
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import DataError
from django.urls import reverse
from django.utils import translation
from PIL import Image

from tarot.exchange import (
    DECK_FILE_MAX_BYTES,
    DeckImportError,
    deck_export,
    deck_export_archive,
    deck_import,
)
from tarot.forms import DeckImportForm
from tarot.models import Card
from tests.admin.images import image_bytes
from tests.admin.test_exchange import deck_snapshot
from tests.subprocesses import run_python

pytestmark = pytest.mark.django_db

MiB = 1024 * 1024
FOOL_ART = "cards/the-fool.png"
# Zeros deflate about a thousand to one: 16 MiB of them take 16 KB in the zip.
BOMB_BYTES = 16 * MiB


@pytest.fixture(autouse=True)
def _english_and_tmp_media(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


def _document(deck, *, art: str | None = None) -> dict:
    document = json.loads(json.dumps(deck_export(deck=deck)))
    document["cards"][0]["art"] = art
    return document


def _json(document) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def _zip(members: list[tuple[str, bytes]], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def _art_zip(deck, **kwargs) -> bytes:
    document = _json(_document(deck, art=FOOL_ART))
    return _zip([("deck.json", document), ("art/" + FOOL_ART, image_bytes("PNG"))], **kwargs)


def _central_directory_entries(data: bytes):
    """(offset of the entry's central directory header, its name) for every entry."""
    offset = data.index(b"PK\x01\x02")
    while data.startswith(b"PK\x01\x02", offset):
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, offset + 28)
        yield offset, data[offset + 46 : offset + 46 + name_length].decode()
        offset += 46 + name_length + extra_length + comment_length


def _patched(data: bytes, name: str, field_offset: int, value: int, size: str = "<I") -> bytes:
    """The zip with one field of ``name``'s central directory header (what zipfile reads)
    changed, and of its local header too when the field is one both headers have."""
    patched = bytearray(data)
    for offset, entry_name in _central_directory_entries(data):
        if entry_name == name:
            struct.pack_into(size, patched, offset + field_offset, value)
            local = struct.unpack_from("<I", data, offset + 42)[0]
            # Central fields from "flags" (8) to "uncompressed size" (24) sit 2 bytes earlier
            # in the local header.
            if 8 <= field_offset <= 24:
                struct.pack_into(size, patched, local + field_offset - 2, value)
    return bytes(patched)


def _bomb(deck, *, declared: int | None = None) -> bytes:
    """A zip whose art unpacks to BOMB_BYTES of zeros; ``declared`` makes its header lie."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("deck.json", _json(_document(deck, art=FOOL_ART)))
        with archive.open("art/" + FOOL_ART, "w") as member:
            for _chunk in range(BOMB_BYTES // MiB):
                member.write(bytes(MiB))
    data = buffer.getvalue()
    assert len(data) < 200 * 1024
    if declared is not None:
        data = _patched(data, "art/" + FOOL_ART, 24, declared)
    return data


# --------------------------------------------------------------------------- hostile files


def zip_bomb(deck):
    return _bomb(deck)


def zip_bomb_with_a_lying_size(deck):
    return _bomb(deck, declared=MiB)


def deeply_nested_json(deck):
    return b"[" * 2000


def nul_in_a_card_text(deck):
    document = _document(deck)
    document["cards"][3]["name"]["ko"] = "여사제\u0000"
    return _json(document)


def zip_with_a_bad_crc(deck):
    data = _art_zip(deck)
    offset = next(o for o, name in _central_directory_entries(data) if name == "deck.json")
    (crc,) = struct.unpack_from("<I", data, offset + 16)
    return _patched(data, "deck.json", 16, crc ^ 0xFFFF)


def zip_with_a_parent_directory_name(deck):
    return _zip([("deck.json", _json(_document(deck))), ("art/../../etc/cron.d/x.png", b"x")])


def zip_with_an_absolute_name(deck):
    return _zip([("deck.json", _json(_document(deck))), ("/etc/cron.d/x", b"x")])


def invalid_utf8(deck):
    return b'{"format": "tarot-master-deck", "version": \xff1}'


def top_level_array(deck):
    return b"[]"


def duplicate_keys(deck):
    text = _json(_document(deck)).decode()
    return text.replace(
        '"slug": "the-high-priestess"', '"slug": "x", "slug": "the-high-priestess"'
    ).encode()


def surrogate_in_a_card_text(deck):
    document = _document(deck)
    document["cards"][3]["name"]["en"] = "The High \ud800Priestess"
    return json.dumps(document).encode()


def surrogate_in_a_key(deck):
    document = _document(deck)
    document["cards"][3]["colour\udc00"] = "blue"
    return json.dumps(document).encode()


def number_with_too_many_digits(deck):
    return b'{"version": ' + b"9" * 5000 + b"}"


def zip_with_a_password(deck):
    data = _art_zip(deck, compression=zipfile.ZIP_STORED)
    offset = next(o for o, name in _central_directory_entries(data) if name == "deck.json")
    (flags,) = struct.unpack_from("<H", data, offset + 8)
    return _patched(data, "deck.json", 8, flags | 0x1, "<H")


def zip_with_bzip2(deck):
    return _art_zip(deck, compression=zipfile.ZIP_BZIP2)


def zip_with_an_unknown_method(deck):
    return _patched(_art_zip(deck), "deck.json", 10, 99, "<H")


def zip_with_a_name_twice(deck):
    document = _json(_document(deck))
    with pytest.warns(UserWarning, match="Duplicate name"):
        return _zip([("deck.json", b"{}"), ("deck.json", document)])


def zip_with_a_damaged_stream(deck):
    data = bytearray(_art_zip(deck))
    start = data.index(b"PK\x03\x04") + 30 + len("deck.json")
    data[start : start + 64] = bytes(range(64))
    return bytes(data)


def too_many_cards(deck):
    document = _document(deck)
    document["cards"] = [{}] * 5000
    return _json(document)


def too_many_fields(deck):
    document = _document(deck)
    document["cards"][0] |= {f"field{number}": 0 for number in range(20000)}
    return _json(document)


def a_document_over_the_size_limit(deck):
    document = _document(deck)
    document["cards"][0]["imagery"]["en"] = "x" * (3 * MiB)
    return _json(document)


def empty_suit_on_a_major_card(deck):
    document = _document(deck)
    document["cards"][0]["suit"] = ""
    return _json(document)


HOSTILE_FILES = [
    (zip_bomb, "art/cards/the-fool.png: unpacks to more than 5 MB"),
    (zip_bomb_with_a_lying_size, "art/cards/the-fool.png: cannot be unpacked: Bad CRC-32"),
    (deeply_nested_json, "line 1, column 17: The JSON nests deeper than 16 levels."),
    (
        nul_in_a_card_text,
        "cards[3].name.ko: contains a NUL character (\\u0000), which cannot be stored",
    ),
    (zip_with_a_bad_crc, "deck.json: cannot be unpacked: Bad CRC-32 for file 'deck.json'"),
    (
        zip_with_a_parent_directory_name,
        "art/../../etc/cron.d/x.png: is not a plain relative file name",
    ),
    (zip_with_an_absolute_name, "/etc/cron.d/x: is not a plain relative file name"),
    (invalid_utf8, "(file): Not UTF-8 text (byte 43)."),
    (top_level_array, "(file): must be an object"),
    (duplicate_keys, "cards[2].slug: appears more than once in the same object"),
    (
        surrogate_in_a_card_text,
        "cards[3].name.en: contains \\ud800, half of a character (an unpaired surrogate)",
    ),
    (
        surrogate_in_a_key,
        "cards[3].colour\\udc00: contains \\udc00, half of a character (an unpaired surrogate)",
    ),
    (number_with_too_many_digits, "(file): Not valid JSON: a number has more than 4300 digits."),
    (zip_with_a_password, "deck.json: is encrypted; zip it again without a password"),
    (zip_with_bzip2, "deck.json: is compressed with a method this site does not read"),
    (zip_with_an_unknown_method, "deck.json: is compressed with a method this site does not read"),
    (zip_with_a_name_twice, "deck.json: is in the zip more than once"),
    (zip_with_a_damaged_stream, "deck.json: cannot be unpacked: Error -3 while decompressing"),
    (too_many_cards, "cards: must have at most 200 entries"),
    (too_many_fields, "cards[0]: has more than 100 fields"),
    (a_document_over_the_size_limit, "(file): The deck file is larger than 2 MB."),
    (empty_suit_on_a_major_card, "cards[0].suit: A major card has no suit."),
]


def _file_name(source: bytes) -> str:
    return "deck.zip" if source.startswith(b"PK") else "deck.json"


@pytest.mark.parametrize(
    ("make_file", "expected"),
    HOSTILE_FILES,
    ids=[make_file.__name__ for make_file, _expected in HOSTILE_FILES],
)
def test_the_admin_shows_the_located_problem_and_changes_nothing(
    editor_client, seeded_deck, make_file, expected
):
    source = make_file(seeded_deck)
    before = deck_snapshot()

    response = editor_client.post(
        reverse("admin:tarot_deck_import"),
        {"file": SimpleUploadedFile(_file_name(source), source)},
    )

    assert response.status_code == 200
    assert any(line.startswith(expected) for line in response.context["import_error"].lines)
    assert "token" not in response.context
    assert deck_snapshot() == before
    assert not default_storage.exists(FOOL_ART)


@pytest.mark.parametrize(
    ("make_file", "expected"),
    HOSTILE_FILES,
    ids=[make_file.__name__ for make_file, _expected in HOSTILE_FILES],
)
def test_import_deck_refuses_with_the_located_problem_and_changes_nothing(
    seeded_deck, tmp_path, make_file, expected
):
    """A CommandError: manage.py prints it, without a traceback, and exits with status 1."""
    path = tmp_path / _file_name(source := make_file(seeded_deck))
    path.write_bytes(source)
    before = deck_snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("import_deck", str(path), stdout=io.StringIO())

    assert "nothing was changed" in str(refused.value)
    assert expected in str(refused.value)
    assert deck_snapshot() == before
    assert not default_storage.exists(FOOL_ART)


# --------------------------------------------------------------------------- memory


def _refused_within(source: bytes, *, megabytes: int) -> DeckImportError:
    """Import ``source``; it must be refused having allocated less than ``megabytes`` MB."""
    tracemalloc.start()
    try:
        with pytest.raises(DeckImportError) as refused:
            deck_import(source=source)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < megabytes * MiB, f"the import allocated {peak / MiB:.0f} MB"
    return refused.value


def test_a_zip_bomb_is_refused_before_it_is_unpacked(seeded_deck):
    refused = _refused_within(zip_bomb(seeded_deck), megabytes=8)

    assert refused.lines == ["art/cards/the-fool.png: unpacks to more than 5 MB"]


def test_a_zip_bomb_with_a_lying_size_is_read_no_further_than_the_size_it_declares(seeded_deck):
    refused = _refused_within(zip_bomb_with_a_lying_size(seeded_deck), megabytes=8)

    assert refused.lines == [
        "art/cards/the-fool.png: cannot be unpacked: Bad CRC-32 for file 'art/cards/the-fool.png'"
    ]


def test_a_zip_whose_entries_are_highly_compressed_is_refused_before_it_is_unpacked(seeded_deck):
    # Under every size limit, but a thousand to one: only a bomb compresses like that.
    source = _zip([("deck.json", _json(_document(seeded_deck))), ("art/padding.png", bytes(MiB))])

    refused = _refused_within(source, megabytes=8)

    assert refused.lines == [
        "art/padding.png: is compressed more than 100 to 1, which no deck file needs"
    ]


def test_a_zip_with_a_huge_list_of_entries_is_refused_before_the_list_is_read(seeded_deck):
    # 100,000 central directory headers (a 5 MB list) would be 50 MB of ZipInfo objects.
    header = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0
    )
    directory = b"".join(header + b"%c" % (65 + number % 26) for number in range(100_000))
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, len(directory), 30, 0)
    source = b"PK\x03\x04" + bytes(26) + directory + end

    refused = _refused_within(source, megabytes=24)

    assert refused.lines == ["(file): The zip's list of files is larger than 1 MB."]


def test_many_empty_entries_are_refused_before_they_are_checked(seeded_deck):
    # 20,000 empty cards in 60 KB: checking each one took 800 MB and 18 seconds.
    document = _document(seeded_deck)
    document["cards"] = [{}] * 20_000

    refused = _refused_within(_json(document), megabytes=16)

    assert refused.lines == ["cards: must have at most 200 entries"]


# Peak memory of the process, as the kernel counts it (Pillow's pixels are not Python objects).
CLEAN_COPY_GROWTH = """
import io, resource, sys
import django
django.setup()
from tarot.validation import card_art_clean_copy
content = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
card_art_clean_copy(io.BytesIO(content), name="art.jpg")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_the_largest_card_image_is_re_encoded_with_one_copy_of_its_pixels(tmp_path):
    """24 megapixels are 72 MB: the zip's art is re-encoded one image at a time, so one copy
    is what an import adds for its largest image."""
    path = tmp_path / "art.jpg"
    Image.new("RGB", (6000, 4000), (40, 50, 120)).save(path, format="JPEG")

    result = run_python(["-c", CLEAN_COPY_GROWTH, str(path)])

    assert result.returncode == 0, result.stderr
    assert int(result.stdout) < 110 * 1024  # kilobytes


def test_a_real_export_with_art_on_every_card_still_imports(seeded_deck):
    """The limits leave room for a real deck: an 800 KB image on each of the 78 cards."""
    picture = io.BytesIO()
    Image.effect_noise((900, 1400), 40).convert("RGB").save(picture, format="JPEG", quality=90)
    assert 750 * 1024 < len(picture.getvalue()) < 800 * 1024
    cards = list(Card.objects.filter(deck=seeded_deck))
    for card in cards:
        card.art = default_storage.save(f"cards/{card.slug}.jpg", ContentFile(picture.getvalue()))
    Card.objects.bulk_update(cards, ["art"])
    source = deck_export_archive(deck=seeded_deck)

    report = deck_import(source=source, dry_run=True)

    assert len(source) > 58 * MiB
    assert sum(report.counts["cards"].values()) == 78


def test_import_deck_reads_no_more_of_a_huge_file_than_it_accepts(db, tmp_path, capsys):
    path = tmp_path / "deck.zip"
    with path.open("wb") as huge:
        huge.write(b"PK\x03\x04")
        huge.truncate(200 * MiB)  # sparse: nothing is written to the disk

    tracemalloc.start()
    try:
        with pytest.raises(SystemExit) as exited:
            ManagementUtility(["manage.py", "import_deck", str(path)]).execute()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert exited.value.code == 1
    assert "(file): The zip is larger than 65 MB." in capsys.readouterr().err
    assert peak < 100 * MiB


def test_the_admin_refuses_an_upload_larger_than_an_import_accepts():
    upload = UploadedFile(
        io.BytesIO(b"PK\x03\x04"), name="deck.zip", size=DECK_FILE_MAX_BYTES + MiB
    )

    form = DeckImportForm(files={"file": upload})

    assert form.errors["file"] == ["The file is 66.0\xa0MB; the limit is 65.0\xa0MB."]


def test_a_value_the_database_refuses_after_validation_is_reported_not_raised(
    seeded_deck, monkeypatch
):
    """PostgreSQL refuses some values as DataError (a NUL in text did, before validation
    learned it); whatever validation has not foreseen is a problem of the file, not a 500."""

    def refuse(**kwargs):
        raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")

    monkeypatch.setattr("tarot.exchange.applying.deck_row_write", refuse)
    before = deck_snapshot()

    with pytest.raises(DeckImportError) as refused:
        deck_import(source=_json(_document(seeded_deck)))

    assert refused.value.lines == [
        "(file): The database refused the change: "
        "PostgreSQL text fields cannot contain NUL (0x00) bytes"
    ]
    assert deck_snapshot() == before


def test_an_editor_reads_the_problems_in_korean(editor_client, seeded_deck, settings):
    settings.LANGUAGE_CODE = "ko"
    source = zip_bomb(seeded_deck)

    response = editor_client.post(
        reverse("admin:tarot_deck_import"), {"file": SimpleUploadedFile("deck.zip", source)}
    )

    assert response.context["import_error"].lines == ["art/cards/the-fool.png: 풀면 5MB가 넘어요"]
