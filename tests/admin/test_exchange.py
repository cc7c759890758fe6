"""export_deck / import_deck: exact round trips, atomic refusal of bad files, dry runs."""

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.utils import translation

from readings.services import reading_create
from tarot.cache import deck_content_version
from tarot.exchange import DeckImportError, deck_export, deck_import
from tarot.models import Card, Deck, Spread, SpreadPosition
from tests.admin.images import image_bytes

pytestmark = pytest.mark.django_db

NOT_CONTENT = {"id", "created_at", "updated_at", "deck", "spread"}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english():
    # Commands speak the active language (Korean by default); the tests read the source text.
    with translation.override("en"):
        yield


def _rows(model, order_by, related=None):
    names = [f.attname for f in model._meta.concrete_fields if f.name not in NOT_CONTENT]
    if related:
        names.append(related)
    return list(model.objects.order_by(*order_by).values(*names))


def deck_snapshot() -> dict:
    """Every content field of every deck, card, spread and position (ids and times aside)."""
    return {
        "decks": _rows(Deck, ["slug"]),
        "cards": _rows(Card, ["deck__slug", "slug"], related="deck__slug"),
        "spreads": _rows(Spread, ["slug"]),
        "positions": _rows(SpreadPosition, ["spread__slug", "order"], related="spread__slug"),
    }


def _empty_the_deck():
    Card.objects.all().delete()
    Deck.objects.all().delete()
    Spread.objects.all().delete()
    assert not SpreadPosition.objects.exists()


def _export(tmp_path, *extra) -> bytes:
    path = tmp_path / ("deck.zip" if "--with-art" in extra else "deck.json")
    call_command("export_deck", "--output", str(path), *extra, stdout=io.StringIO())
    return path.read_bytes()


def _import(path, *extra) -> str:
    out = io.StringIO()
    call_command("import_deck", str(path), *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def edited_deck(seeded_deck):
    """The seeded deck with the kinds of values a careless round trip would lose."""
    fool = Card.objects.get(slug="the-fool")
    fool.name_en = None
    fool.keywords_upright_ko = "시작,  모험 , 순수"
    fool.is_published = False
    fool.save()
    SpreadPosition.objects.filter(spread__slug="relationship", order=4).update(x=0.7534)
    Spread.objects.filter(slug="yes-no").update(is_published=False, description_en="")
    return seeded_deck


def test_export_then_import_on_an_empty_database_reproduces_the_deck_exactly(
    edited_deck, tmp_path, django_capture_on_commit_callbacks
):
    before = deck_snapshot()
    path = tmp_path / "deck.json"
    path.write_bytes(_export(tmp_path))
    _empty_the_deck()
    version = deck_content_version()

    with django_capture_on_commit_callbacks(execute=True):
        output = _import(path)

    assert deck_snapshot() == before
    assert len(before["cards"]) == 78 and len(before["positions"]) == 27
    assert output.splitlines()[:4] == [
        "decks: 1 created, 0 updated, 0 unchanged",
        "cards: 78 created, 0 updated, 0 unchanged",
        "spreads: 7 created, 0 updated, 0 unchanged",
        "positions: 27 created, 0 updated, 0 unchanged",
    ]
    assert deck_content_version() > version


def test_importing_the_same_file_again_changes_nothing(edited_deck, tmp_path):
    path = tmp_path / "deck.json"
    path.write_bytes(_export(tmp_path))

    output = _import(path)

    assert "cards: 0 created, 0 updated, 78 unchanged" in output
    assert "positions: 0 created, 0 updated, 27 unchanged" in output


def test_import_updates_what_differs_and_reports_it(seeded_deck, tmp_path):
    path = tmp_path / "deck.json"
    path.write_bytes(_export(tmp_path))
    Card.objects.filter(slug="the-sun").update(meaning_upright_en="Edited in production")
    SpreadPosition.objects.filter(spread__slug="celtic-cross", order=10).delete()

    output = _import(path, "--verbosity", "2")

    assert "cards: 0 created, 1 updated, 77 unchanged" in output
    assert "positions: 1 created, 0 updated, 26 unchanged" in output
    assert "updated card the-sun (meaning_upright_en)" in output
    assert Card.objects.get(slug="the-sun").meaning_upright_en != "Edited in production"


def test_export_writes_every_language_and_keeps_uploaded_art_by_name(seeded_deck):
    Card.objects.filter(slug="the-moon").update(art="cards/moon.webp")

    document = deck_export(deck=seeded_deck)

    moon = next(card for card in document["cards"] if card["slug"] == "the-moon")
    assert moon["art"] == "cards/moon.webp"
    assert set(moon["name"]) == {"ko", "en"}
    assert moon["meaning_upright"]["ko"]
    cross = next(spread for spread in document["spreads"] if spread["slug"] == "celtic-cross")
    assert cross["positions"][1]["rotated"] is True
    assert [position["order"] for position in cross["positions"]] == list(range(1, 11))


def test_export_with_art_then_import_on_an_empty_environment_restores_the_files(
    seeded_deck, tmp_path, settings
):
    picture = image_bytes("PNG")
    stored = default_storage.save("cards/the-fool.png", ContentFile(picture))
    Card.objects.filter(slug="the-fool").update(art=stored)
    before = deck_snapshot()
    archive_path = tmp_path / "deck.zip"
    archive_path.write_bytes(_export(tmp_path, "--with-art"))
    _empty_the_deck()
    settings.MEDIA_ROOT = tmp_path / "production-media"

    _import(archive_path)

    assert deck_snapshot() == before
    with default_storage.open(stored, "rb") as restored:
        assert restored.read() == picture


def test_a_json_import_refuses_art_that_this_environment_does_not_have(seeded_deck, tmp_path):
    Card.objects.filter(slug="the-fool").update(art="cards/missing.png")
    path = tmp_path / "deck.json"
    path.write_bytes(_export(tmp_path))

    with pytest.raises(CommandError) as refused:
        _import(path)

    assert "cards[0].art: “cards/missing.png” is not in this environment's media storage" in str(
        refused.value
    )


def test_export_with_art_refuses_a_missing_file(seeded_deck, tmp_path):
    Card.objects.filter(slug="the-fool").update(art="cards/missing.png")

    with pytest.raises(CommandError, match=r"cards\[0\]\.art: “cards/missing.png” is missing"):
        _export(tmp_path, "--with-art")


def test_export_with_art_needs_an_output_file(seeded_deck):
    with pytest.raises(CommandError, match="--output"):
        call_command("export_deck", "--with-art")


def test_export_of_an_unknown_deck_names_the_known_ones(seeded_deck):
    with pytest.raises(
        CommandError, match=r"No deck “tarot-de-marseille”\. Known decks: rider-waite-smith"
    ):
        call_command("export_deck", "--deck", "tarot-de-marseille")


def test_export_to_standard_output_is_the_json(seeded_deck):
    out = io.StringIO()

    call_command("export_deck", stdout=out)

    assert json.loads(out.getvalue())["deck"]["slug"] == "rider-waite-smith"


# --------------------------------------------------------------------------- refused files


def _document(seeded_deck) -> dict:
    return json.loads(json.dumps(deck_export(deck=seeded_deck)))


def _break_minor_suit(document):
    document["cards"][25]["suit"] = None


def _break_duplicate_slug(document):
    document["cards"][40]["slug"] = "the-fool"


def _break_unknown_field(document):
    document["cards"][3]["colour"] = "blue"


def _break_unknown_language(document):
    document["spreads"][0]["positions"][0]["name"]["ja"] = "今日"


def _break_type(document):
    document["spreads"][4]["positions"][2]["x"] = "left"


def _break_missing_field(document):
    del document["deck"]["name"]


def _break_overlap(document):
    document["spreads"][1]["positions"][1]["x"] = 0.5


def _break_duplicate_order(document):
    document["spreads"][4]["positions"][9]["order"] = 3


def _break_slug_characters(document):
    document["cards"][5]["slug"] = "the hierophant!"


def _break_too_long(document):
    document["cards"][6]["name"]["en"] = "x" * 101


def _break_required_korean(document):
    document["cards"][7]["meaning_upright"]["ko"] = ""


def _break_version(document):
    document["version"] = 2


@pytest.mark.parametrize(
    ("break_document", "expected"),
    [
        (_break_minor_suit, "cards[25].suit: A minor card needs a suit."),
        (_break_duplicate_slug, "cards[40].slug: “the-fool” is already used by cards[0]"),
        (_break_unknown_field, "cards[3].colour: unknown field"),
        (_break_unknown_language, "spreads[0].positions[0].name.ja: unknown field"),
        (_break_type, "spreads[4].positions[2].x: must be a number"),
        (_break_missing_field, "deck.name: missing field"),
        (_break_overlap, "spreads[1].positions[1]: overlaps spreads[1].positions[0]"),
        (_break_duplicate_order, "spreads[4].positions[9].order: order 3 is already used by"),
        (_break_slug_characters, "cards[5].slug: "),
        (_break_too_long, "cards[6].name.en: Ensure this value has at most 100 characters"),
        (_break_required_korean, "cards[7].meaning_upright.ko: is required in the default"),
        (_break_version, "version: version 2 is not supported"),
    ],
)
def test_a_bad_file_is_refused_with_the_location_and_changes_nothing(
    seeded_deck, tmp_path, break_document, expected
):
    document = _document(seeded_deck)
    break_document(document)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    Card.objects.filter(slug="the-sun").update(meaning_upright_en="Only in this database")
    before = deck_snapshot()

    with pytest.raises(CommandError) as refused:
        _import(path)

    assert expected in str(refused.value)
    assert "nothing was changed" in str(refused.value)
    assert deck_snapshot() == before


def test_invalid_json_is_refused_with_its_line_and_column(seeded_deck, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "tarot-master-deck",\n  "version": 1,,\n}', encoding="utf-8")
    before = deck_snapshot()

    with pytest.raises(CommandError) as refused:
        _import(path)

    assert "line 2, column 16: Not valid JSON: Expecting property name" in str(refused.value)
    assert deck_snapshot() == before


def test_every_problem_is_reported_at_once(seeded_deck):
    document = _document(seeded_deck)
    _break_minor_suit(document)
    _break_duplicate_slug(document)
    _break_unknown_field(document)

    with pytest.raises(DeckImportError) as refused:
        deck_import(source=json.dumps(document).encode())

    assert set(refused.value.fields) >= {"cards[25].suit", "cards[40].slug", "cards[3].colour"}


def test_the_command_exits_non_zero_and_prints_the_location(seeded_deck, tmp_path, capsys):
    document = _document(seeded_deck)
    _break_minor_suit(document)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "import_deck", str(path)]).execute()

    assert exited.value.code == 1
    assert "cards[25].suit: A minor card needs a suit." in capsys.readouterr().err


def test_a_missing_file_is_a_clear_command_error(db, tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*nothing\.json: No such file"):
        _import(tmp_path / "nothing.json")


def test_a_conflict_found_while_applying_rolls_everything_back(seeded_deck, celtic_cross, tmp_path):
    """A position the file drops but a reading uses: the cards already applied are undone."""
    reading_create(user=None, spread=celtic_cross)
    document = _document(seeded_deck)
    document["cards"][0]["meaning_upright"]["en"] = "Would change if the import went through"
    cross = next(spread for spread in document["spreads"] if spread["slug"] == "celtic-cross")
    cross["positions"].pop()
    before = deck_snapshot()

    with pytest.raises(DeckImportError) as refused:
        deck_import(source=json.dumps(document).encode())

    assert any(
        "position 10 of “celtic-cross” is missing from the file, but 1 drawn card(s) use it" in line
        for line in refused.value.lines
    )
    assert deck_snapshot() == before


def test_a_position_no_reading_uses_is_removed_when_the_file_drops_it(seeded_deck):
    document = _document(seeded_deck)
    cross = next(spread for spread in document["spreads"] if spread["slug"] == "celtic-cross")
    cross["positions"].pop()

    report = deck_import(source=json.dumps(document).encode())

    assert report.counts["positions"]["deleted"] == 1
    assert Spread.objects.get(slug="celtic-cross").positions.count() == 9


def test_cards_missing_from_the_file_are_kept_and_reported(seeded_deck):
    document = _document(seeded_deck)
    document["cards"] = document["cards"][:22]

    report = deck_import(source=json.dumps(document).encode())

    assert Card.objects.count() == 78
    assert report.warnings[0].startswith("Kept 56 card(s) that are in the deck but not in the file")


def test_a_zip_art_file_that_is_not_an_allowed_image_is_refused(seeded_deck):
    document = _document(seeded_deck)
    document["cards"][0]["art"] = "cards/the-fool.png"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("deck.json", json.dumps(document))
        archive.writestr("art/cards/the-fool.png", image_bytes("GIF"))

    with pytest.raises(DeckImportError) as refused:
        deck_import(source=buffer.getvalue())

    assert refused.value.lines == [
        "cards[0].art: Upload a PNG, JPEG or WebP image; this file is GIF."
    ]
    assert not default_storage.exists("cards/the-fool.png")


# --------------------------------------------------------------------------- dry runs


def test_dry_run_on_an_empty_database_reports_and_changes_nothing(
    seeded_deck, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "deck.json"
    path.write_bytes(_export(tmp_path))
    _empty_the_deck()
    version = deck_content_version()

    with django_capture_on_commit_callbacks(execute=True):
        output = _import(path, "--dry-run")

    assert "cards: 78 created, 0 updated, 0 unchanged" in output
    assert "Dry run: the file is valid; nothing was changed." in output
    assert not Deck.objects.exists() and not Card.objects.exists()
    assert not Spread.objects.exists()
    assert deck_content_version() == version


def test_dry_run_of_a_changed_file_leaves_the_database_and_storage_alone(seeded_deck, tmp_path):
    document = _document(seeded_deck)
    document["cards"][0]["art"] = "cards/the-fool.png"
    document["cards"][1]["name"]["en"] = "The Mage"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("deck.json", json.dumps(document))
        archive.writestr("art/cards/the-fool.png", image_bytes("PNG"))
    path = tmp_path / "deck.zip"
    path.write_bytes(buffer.getvalue())
    before = deck_snapshot()

    output = _import(path, "--dry-run", "--verbosity", "2")

    assert "cards: 0 created, 2 updated, 76 unchanged" in output
    assert "updated card the-fool (art)" in output
    assert deck_snapshot() == before
    assert not default_storage.exists("cards/the-fool.png")
