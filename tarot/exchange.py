"""Moving a deck between environments (staging → production): export and import.

The file is JSON: the deck, its cards in every language, and all spreads with their positions.
Uploaded art is referenced by its storage name; ``--with-art`` bundles the files in a zip
(``deck.json`` plus ``art/<storage name>``).

Import promises:
- everything is validated before anything is written, and every problem is reported with its
  exact location (``cards[12].suit: A minor card needs a suit.``);
- the apply is one transaction: the deck (matched by slug), its cards (by slug), the spreads
  (by slug) and their positions (by order) are all updated, or nothing changes;
- a dry run performs the same apply and rolls it back, so its counts are what a real run does;
- cards of the deck that are not in the file are kept (readings point at them) and reported.
"""

import hashlib
import io
import json
import math
import posixpath
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from modeltranslation import settings as translation_settings

from .cache import deck_content_changed
from .deck_writer import deck_row_write, translated_fields
from .errors import ApplicationError
from .models import Card, Deck, Spread, SpreadPosition
from .validation import (
    ART_EXTENSIONS,
    PlacedCard,
    card_art_clean_copy,
    card_identity_problems,
    layout_duplicate_orders,
    layout_overlaps,
)

FORMAT = "tarot-master-deck"
FORMAT_VERSION = 1
ARCHIVE_DOCUMENT = "deck.json"
ARCHIVE_ART_PREFIX = "art/"
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
ARCHIVE_MAX_ENTRIES = 1000
ARCHIVE_MAX_BYTES = 600 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"

DECK_FIELDS = ("slug", "is_default")
CARD_FIELDS = (
    "slug",
    "arcana",
    "number",
    "suit",
    "rank",
    "element",
    "yes_no",
    "position",
    "is_published",
)
SPREAD_FIELDS = ("slug", "order", "answers_yes_no", "is_published")
POSITION_FIELDS = ("order", "x", "y", "rotated")
KINDS = ("decks", "cards", "spreads", "positions")
KIND_LABELS = {
    "decks": gettext_lazy("decks"),
    "cards": gettext_lazy("cards"),
    "spreads": gettext_lazy("spreads"),
    "positions": gettext_lazy("positions"),
}
OUTCOME_LABELS = {
    "created": pgettext_lazy("deck import outcome", "created"),
    "updated": pgettext_lazy("deck import outcome", "updated"),
    "unchanged": pgettext_lazy("deck import outcome", "unchanged"),
    "deleted": pgettext_lazy("deck import outcome", "deleted"),
}


def _languages() -> list[str]:
    return list(translation_settings.AVAILABLE_LANGUAGES)


# --------------------------------------------------------------------------- export


def _translations(instance: models.Model, name: str) -> dict[str, str | None]:
    return {language: getattr(instance, f"{name}_{language}") for language in _languages()}


def _entry(instance: models.Model, plain_fields: tuple[str, ...]) -> dict:
    entry = {name: getattr(instance, name) for name in plain_fields}
    for name in translated_fields(type(instance)):
        entry[name] = _translations(instance, name)
    return entry


def deck_export(*, deck: Deck) -> dict:
    """The deck, its cards and every spread as one JSON-ready document (read only)."""
    cards = []
    for card in deck.cards.order_by("position", "id"):
        entry = _entry(card, CARD_FIELDS)
        entry["art"] = card.art.name or None
        cards.append(entry)
    spreads = []
    for spread in Spread.objects.order_by("order", "id").prefetch_related(
        models.Prefetch("positions", queryset=SpreadPosition.objects.order_by("order"))
    ):
        entry = _entry(spread, SPREAD_FIELDS)
        entry["positions"] = [
            _entry(position, POSITION_FIELDS) for position in spread.positions.all()
        ]
        spreads.append(entry)
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "deck": _entry(deck, DECK_FIELDS),
        "cards": cards,
        "spreads": spreads,
    }


def deck_export_json(*, deck: Deck) -> bytes:
    text = json.dumps(deck_export(deck=deck), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def deck_export_archive(*, deck: Deck) -> bytes:
    """A zip of the export and every uploaded art file it references."""
    document = deck_export(deck=deck)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            ARCHIVE_DOCUMENT, json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        )
        for index, card in enumerate(document["cards"]):
            if not card["art"]:
                continue
            try:
                with default_storage.open(card["art"], "rb") as art_file:
                    content = art_file.read()
            except OSError as error:
                raise ApplicationError(
                    _("cards[%(index)s].art: “%(name)s” is missing from the media storage.")
                    % {"index": index, "name": card["art"]}
                ) from error
            archive.writestr(ARCHIVE_ART_PREFIX + card["art"], content)
    return buffer.getvalue()


def export_filename(*, deck: Deck, with_art: bool) -> str:
    stamp = timezone.localdate().strftime("%Y%m%d")
    return f"deck-{deck.slug}-{stamp}.{'zip' if with_art else 'json'}"


# --------------------------------------------------------------------------- import: reading


class DeckImportError(ApplicationError):
    """The file was refused; ``fields`` maps each location in the file to its problems."""

    def __init__(self, problems: dict[str, list[str]]):
        count = sum(len(messages) for messages in problems.values())
        super().__init__(
            _("The deck file has %(count)s problem(s); nothing was changed.") % {"count": count},
            fields=problems,
        )

    @property
    def lines(self) -> list[str]:
        return [
            f"{location}: {message}"
            for location, messages in self.fields.items()
            for message in messages
        ]


class _Problems:
    def __init__(self) -> None:
        self.by_location: dict[str, list[str]] = {}

    def add(self, location: str, message: str) -> None:
        self.by_location.setdefault(location or "(file)", []).append(str(message))

    def raise_if_any(self) -> None:
        if self.by_location:
            raise DeckImportError(self.by_location)


def _read_source(source: bytes) -> tuple[object, dict[str, bytes]]:
    """The decoded JSON document and, for a zip, its art files by storage name."""
    art_files: dict[str, bytes] = {}
    if source.startswith(ZIP_MAGIC):
        try:
            archive = zipfile.ZipFile(io.BytesIO(source))
            entries = archive.infolist()
        except zipfile.BadZipFile as error:
            raise DeckImportError({"(file)": [_("Not a readable zip file: %s") % error]}) from None
        if len(entries) > ARCHIVE_MAX_ENTRIES:
            raise DeckImportError({"(file)": [_("The zip has too many files.")]})
        if sum(entry.file_size for entry in entries) > ARCHIVE_MAX_BYTES:
            raise DeckImportError({"(file)": [_("The zip unpacks to more than 600 MB.")]})
        names = {entry.filename for entry in entries if not entry.is_dir()}
        if ARCHIVE_DOCUMENT not in names:
            raise DeckImportError({"(file)": [_("The zip has no deck.json.")]})
        for name in sorted(names - {ARCHIVE_DOCUMENT}):
            if not name.startswith(ARCHIVE_ART_PREFIX):
                raise DeckImportError({name: [_("unexpected file in the zip (only art/…)")]})
            art_files[name.removeprefix(ARCHIVE_ART_PREFIX)] = archive.read(name)
        source = archive.read(ARCHIVE_DOCUMENT)
    if len(source) > DOCUMENT_MAX_BYTES:
        raise DeckImportError({"(file)": [_("The deck file is larger than 20 MB.")]})
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DeckImportError(
            {"(file)": [_("Not UTF-8 text (byte %(at)s).") % {"at": error.start}]}
        ) from None
    try:
        return json.loads(text), art_files
    except json.JSONDecodeError as error:
        raise DeckImportError(
            {
                f"line {error.lineno}, column {error.colno}": [
                    _("Not valid JSON: %(reason)s.") % {"reason": error.msg}
                ]
            }
        ) from None


# --------------------------------------------------------------------------- import: validating


def _join(location: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{location}[{key}]"
    return f"{location}.{key}" if location else key


def _kind_of(model_field: models.Field) -> str:
    if isinstance(model_field, models.BooleanField):
        return "boolean"
    if isinstance(model_field, models.FloatField):
        return "number"
    if isinstance(model_field, models.IntegerField):
        return "integer"
    return "string"


def _value_fits(value: object, kind: str) -> bool:
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return (
            isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        )
    return isinstance(value, str)


def _check_keys(value: object, location: str, expected: list[str], problems: _Problems) -> bool:
    if not isinstance(value, dict):
        problems.add(location, _("must be an object"))
        return False
    for key in sorted(value.keys() - set(expected)):
        problems.add(_join(location, key), _("unknown field"))
    for key in expected:
        if key not in value:
            problems.add(_join(location, key), _("missing field"))
    return True


def _field_location(location: str, model: type[models.Model], field_name: str) -> str:
    for name in translated_fields(model):
        for language in _languages():
            if field_name == f"{name}_{language}":
                return _join(_join(location, name), language)
    return location if field_name == NON_FIELD_ERRORS else _join(location, field_name)


def _model_values(
    entry: object,
    location: str,
    model: type[models.Model],
    plain_fields: tuple[str, ...],
    problems: _Problems,
    *,
    extra_keys: tuple[str, ...] = (),
) -> dict | None:
    """Field values for ``model`` from one file entry, or None when the entry is malformed.

    Checks the shape (known keys, JSON types, every language) and then the model's own field
    validation, so the file obeys exactly what the admin obeys.
    """
    translated = translated_fields(model)
    if not _check_keys(entry, location, [*plain_fields, *translated, *extra_keys], problems):
        return None
    values: dict = {}
    well_formed = True
    for name in plain_fields:
        if name not in entry:
            well_formed = False
            continue
        model_field = model._meta.get_field(name)
        value = entry[name]
        if value is None and model_field.null:
            values[name] = None
        elif _value_fits(value, _kind_of(model_field)):
            values[name] = value
        else:
            problems.add(
                _join(location, name),
                _("must be a %(kind)s%(nullable)s")
                % {
                    "kind": _kind_of(model_field),
                    "nullable": _(" or null") if model_field.null else "",
                },
            )
            well_formed = False
    for name in translated:
        translations = entry.get(name)
        if name not in entry or not _check_keys(
            translations, _join(location, name), _languages(), problems
        ):
            well_formed = False
            continue
        for language in _languages():
            value = translations.get(language)
            if value is not None and not isinstance(value, str):
                problems.add(_join(_join(location, name), language), _("must be a string or null"))
                well_formed = False
            values[f"{name}_{language}"] = value
        original = model._meta.get_field(name)
        default_value = translations.get(translation_settings.DEFAULT_LANGUAGE)
        if not original.blank and not (isinstance(default_value, str) and default_value.strip()):
            problems.add(
                _join(_join(location, name), translation_settings.DEFAULT_LANGUAGE),
                _("is required in the default language"),
            )
    if not well_formed:
        return None
    instance = model(**values)
    exclude = [
        model_field.name
        for model_field in model._meta.concrete_fields
        if model_field.name not in values
    ]
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            for message in messages:
                problems.add(_field_location(location, model, field_name), message)
        return None
    return values


def _check_art_name(
    name: object,
    location: str,
    art_files: dict[str, bytes],
    is_archive: bool,
    problems: _Problems,
) -> None:
    if name is None:
        return
    if not isinstance(name, str) or not name:
        problems.add(location, _("must be a file name or null"))
        return
    normalised = posixpath.normpath(name)
    if normalised != name or name.startswith(("/", "../")) or "\\" in name:
        problems.add(location, _("“%(name)s” is not a plain relative file name") % {"name": name})
        return
    if name.rsplit(".", 1)[-1].lower() not in ART_EXTENSIONS:
        problems.add(
            location, _("“%(name)s” is not a .png, .jpg, .jpeg or .webp file") % {"name": name}
        )
        return
    if is_archive:
        if name not in art_files:
            problems.add(location, _("“%(name)s” is not in the zip's art/ folder") % {"name": name})
            return
        try:
            # Stored re-encoded, like an upload in the admin: only the pixels are kept.
            art_files[name] = card_art_clean_copy(io.BytesIO(art_files[name]), name=name)
        except ValidationError as error:
            for message in error.messages:
                problems.add(location, message)
    elif not default_storage.exists(name):
        problems.add(
            location,
            _(
                "“%(name)s” is not in this environment's media storage; "
                "export with --with-art and import the zip"
            )
            % {"name": name},
        )


@dataclass
class DeckDocument:
    """A validated import: model field values ready to apply."""

    deck: dict
    cards: list[dict]
    spreads: list[tuple[dict, list[dict]]]
    art_files: dict[str, bytes]
    is_archive: bool


def _validate_cards(entries: object, art_files: dict, is_archive: bool, problems: _Problems):
    if not isinstance(entries, list):
        problems.add("cards", _("must be a list"))
        return []
    cards = []
    first_slug: dict[str, int] = {}
    first_identity: dict[tuple, int] = {}
    for index, entry in enumerate(entries):
        location = _join("cards", index)
        values = _model_values(entry, location, Card, CARD_FIELDS, problems, extra_keys=("art",))
        if isinstance(entry, dict) and "art" in entry:
            _check_art_name(entry["art"], _join(location, "art"), art_files, is_archive, problems)
        if values is None:
            continue
        values["art"] = entry["art"]
        for field_name, message in card_identity_problems(
            arcana=values["arcana"],
            number=values["number"],
            suit=values["suit"],
            rank=values["rank"],
        ).items():
            problems.add(_join(location, field_name), message)
        slug = values["slug"]
        if slug in first_slug:
            problems.add(
                _join(location, "slug"),
                _("“%(slug)s” is already used by cards[%(first)s]")
                % {"slug": slug, "first": first_slug[slug]},
            )
        first_slug.setdefault(slug, index)
        identity = (values["arcana"], values["suit"], values["number"])
        if identity in first_identity:
            problems.add(
                _join(location, "number"),
                _("the same card (arcana, suit, number) as cards[%(first)s]")
                % {"first": first_identity[identity]},
            )
        first_identity.setdefault(identity, index)
        cards.append(values)
    return cards


def _validate_positions(entries: object, location: str, problems: _Problems) -> list[dict]:
    if not isinstance(entries, list):
        problems.add(location, _("must be a list"))
        return []
    positions = []
    for index, entry in enumerate(entries):
        values = _model_values(
            entry, _join(location, index), SpreadPosition, POSITION_FIELDS, problems
        )
        if values is not None:
            positions.append((index, values))
    for duplicate, first in layout_duplicate_orders([values["order"] for _i, values in positions]):
        problems.add(
            _join(_join(location, positions[duplicate][0]), "order"),
            _("order %(order)s is already used by %(location)s")
            % {
                "order": positions[duplicate][1]["order"],
                "location": _join(location, positions[first][0]),
            },
        )
    placed = [
        PlacedCard(order=values["order"], x=values["x"], y=values["y"], rotated=values["rotated"])
        for _index, values in positions
    ]
    for first, second in layout_overlaps(placed):
        problems.add(
            _join(location, positions[second][0]),
            _("overlaps %(other)s; only a sideways card may lie on another card's centre")
            % {"other": _join(location, positions[first][0])},
        )
    return [values for _index, values in positions]


def _validate_spreads(entries: object, problems: _Problems) -> list[tuple[dict, list[dict]]]:
    if not isinstance(entries, list):
        problems.add("spreads", _("must be a list"))
        return []
    spreads = []
    first_slug: dict[str, int] = {}
    for index, entry in enumerate(entries):
        location = _join("spreads", index)
        values = _model_values(
            entry, location, Spread, SPREAD_FIELDS, problems, extra_keys=("positions",)
        )
        positions = (
            _validate_positions(entry["positions"], _join(location, "positions"), problems)
            if isinstance(entry, dict) and "positions" in entry
            else []
        )
        if values is None:
            continue
        slug = values["slug"]
        if slug in first_slug:
            problems.add(
                _join(location, "slug"),
                _("“%(slug)s” is already used by spreads[%(first)s]")
                % {"slug": slug, "first": first_slug[slug]},
            )
        first_slug.setdefault(slug, index)
        spreads.append((values, positions))
    return spreads


def deck_import_validate(*, source: bytes) -> DeckDocument:
    """Read and check a deck file (JSON or zip) without touching the database's content.

    Raises DeckImportError listing every problem with its location in the file.
    """
    document, art_files = _read_source(source)
    is_archive = source.startswith(ZIP_MAGIC)
    problems = _Problems()
    if not _check_keys(
        document,
        "",
        ["format", "version", "exported_at", "deck", "cards", "spreads"],
        problems,
    ):
        problems.raise_if_any()
    if document.get("format") != FORMAT:
        problems.add("format", _("must be “%(format)s”") % {"format": FORMAT})
    version = document.get("version")
    if type(version) is not int or version != FORMAT_VERSION:
        problems.add(
            "version",
            _("version %(version)r is not supported (this site reads version %(supported)s)")
            % {"version": version, "supported": FORMAT_VERSION},
        )
    exported_at = document.get("exported_at")
    if exported_at is not None and not isinstance(exported_at, str):
        problems.add("exported_at", _("must be a date and time string or null"))
    deck = _model_values(document.get("deck"), "deck", Deck, DECK_FIELDS, problems)
    cards = _validate_cards(document.get("cards"), art_files, is_archive, problems)
    spreads = _validate_spreads(document.get("spreads"), problems)
    problems.raise_if_any()
    return DeckDocument(
        deck=deck, cards=cards, spreads=spreads, art_files=art_files, is_archive=is_archive
    )


# --------------------------------------------------------------------------- import: applying


@dataclass
class ImportChange:
    kind: str
    label: str
    outcome: str
    fields: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])


@dataclass
class ImportReport:
    deck_slug: str
    dry_run: bool
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {
            kind: {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0} for kind in KINDS
        }
    )
    changes: list[ImportChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def record(self, kind: str, label: str, outcome: str, fields: list[str] | None = None):
        self.counts[kind][outcome] += 1
        if outcome != "unchanged":
            self.changes.append(ImportChange(kind, label, outcome, fields or []))

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def summary_lines(self) -> list[str]:
        lines = []
        for kind in KINDS:
            counts = {**self.counts[kind], "kind": KIND_LABELS[kind]}
            if counts["deleted"]:
                line = _(
                    "%(kind)s: %(created)s created, %(updated)s updated, "
                    "%(unchanged)s unchanged, %(deleted)s deleted"
                )
            else:
                line = _(
                    "%(kind)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged"
                )
            lines.append(line % counts)
        return lines

    @property
    def count_rows(self) -> list[dict]:
        return [{"label": KIND_LABELS[kind], **self.counts[kind]} for kind in KINDS]


def _write(
    report: ImportReport,
    *,
    kind: str,
    label: str,
    instance: models.Model,
    values: dict,
    also_changed: tuple[str, ...] = (),
) -> None:
    written = deck_row_write(instance=instance, values=values, also_changed=also_changed)
    report.record(kind, label, written.outcome, written.changed)


class _ArtWriter:
    """Stores art files from the zip, and removes what it stored if the import fails."""

    def __init__(self, art_files: dict[str, bytes], *, dry_run: bool) -> None:
        self.art_files = art_files
        self.dry_run = dry_run
        self.written: list[str] = []

    def resolve(self, name: str | None, current: str) -> tuple[str, bool]:
        """The storage name the card's art should hold, and whether a new file is involved.

        A dry run stores nothing: it keeps the current name and only says a file would change.
        """
        if not name:
            return "", False
        content = self.art_files.get(name)
        if content is None or (current == name and self._same_content(name, content)):
            return name, False
        if self.dry_run:
            return current, True
        if default_storage.exists(name) and self._same_content(name, content):
            return name, False
        saved = default_storage.save(name, ContentFile(content))
        self.written.append(saved)
        return saved, False

    @staticmethod
    def _same_content(name: str, content: bytes) -> bool:
        try:
            with default_storage.open(name, "rb") as stored:
                return hashlib.sha256(stored.read()).digest() == hashlib.sha256(content).digest()
        except OSError:
            return False

    def remove_written(self) -> None:
        for name in self.written:
            default_storage.delete(name)


def _apply_deck(document: DeckDocument, report: ImportReport) -> Deck:
    values = document.deck
    if values["is_default"]:
        previous = Deck.objects.filter(is_default=True).exclude(slug=values["slug"])
        for other in previous:
            report.warnings.append(
                _("“%(deck)s” is no longer the default deck.") % {"deck": other.slug}
            )
        previous.update(is_default=False, updated_at=timezone.now())
    deck = Deck.objects.filter(slug=values["slug"]).first() or Deck()
    _write(report, kind="decks", label=values["slug"], instance=deck, values=values)
    return deck


def _check_card_identities_free(document: DeckDocument, deck: Deck, problems: _Problems) -> None:
    """Cards kept in the deck (absent from the file) must not clash with the file's cards."""
    file_slugs = {values["slug"] for values in document.cards}
    kept = {
        (card.arcana, card.suit, card.number): card.slug
        for card in deck.cards.exclude(slug__in=file_slugs).only("slug", "arcana", "suit", "number")
    }
    for index, values in enumerate(document.cards):
        clash = kept.get((values["arcana"], values["suit"], values["number"]))
        if clash:
            problems.add(
                _join(_join("cards", index), "number"),
                _("the same card as “%(slug)s”, which is in the deck but not in the file")
                % {"slug": clash},
            )


def _apply_cards(document: DeckDocument, deck: Deck, report: ImportReport, art: _ArtWriter):
    existing = {card.slug: card for card in deck.cards.all()}
    for values in document.cards:
        card = existing.get(values["slug"])
        art_name, art_would_change = art.resolve(values["art"], card.art.name if card else "")
        _write(
            report,
            kind="cards",
            label=values["slug"],
            instance=card or Card(deck=deck),
            values={**values, "art": art_name},
            also_changed=("art",) if art_would_change else (),
        )
    kept = sorted(set(existing) - {values["slug"] for values in document.cards})
    if kept:
        report.warnings.append(
            _("Kept %(count)s card(s) that are in the deck but not in the file: %(slugs)s.")
            % {"count": len(kept), "slugs": ", ".join(kept)}
        )


def _apply_spreads(document: DeckDocument, report: ImportReport, problems: _Problems) -> None:
    existing = {spread.slug: spread for spread in Spread.objects.prefetch_related("positions")}
    for index, (values, positions) in enumerate(document.spreads):
        spread = existing.get(values["slug"]) or Spread()
        current = (
            {position.order: position for position in spread.positions.all()} if spread.pk else {}
        )
        _write(report, kind="spreads", label=values["slug"], instance=spread, values=values)
        for position_values in positions:
            position = current.pop(position_values["order"], None)
            _write(
                report,
                kind="positions",
                label=f"{values['slug']} #{position_values['order']}",
                instance=position or SpreadPosition(spread=spread),
                values=position_values,
            )
        for order, position in sorted(current.items()):
            try:
                position.delete()
            except ProtectedError as error:
                problems.add(
                    _join(_join("spreads", index), "positions"),
                    _(
                        "position %(order)s of “%(slug)s” is missing from the file, but "
                        "%(count)s drawn card(s) use it, so it cannot be removed"
                    )
                    % {
                        "order": order,
                        "slug": values["slug"],
                        "count": len(error.protected_objects),
                    },
                )
                continue
            report.record("positions", f"{values['slug']} #{order}", "deleted")
    kept = sorted(set(existing) - {values["slug"] for values, _positions in document.spreads})
    if kept:
        report.warnings.append(
            _("Kept %(count)s spread(s) that are not in the file: %(slugs)s.")
            % {"count": len(kept), "slugs": ", ".join(kept)}
        )


def deck_import(*, source: bytes, dry_run: bool = False) -> ImportReport:
    """Validate a deck file and apply it atomically (or, with ``dry_run``, only report).

    Raises DeckImportError, with every problem's location, when the file is refused; the
    database and the media storage are then exactly as before. A real import that changed
    anything moves the deck content version once the transaction commits.
    """
    document = deck_import_validate(source=source)
    report = ImportReport(deck_slug=document.deck["slug"], dry_run=dry_run)
    art = _ArtWriter(document.art_files, dry_run=dry_run)
    problems = _Problems()
    try:
        with transaction.atomic():
            deck = _apply_deck(document, report)
            _check_card_identities_free(document, deck, problems)
            problems.raise_if_any()
            _apply_cards(document, deck, report, art)
            _apply_spreads(document, report, problems)
            problems.raise_if_any()
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as error:
        art.remove_written()
        raise DeckImportError(
            {"(file)": [_("The database refused the change: %(error)s") % {"error": error}]}
        ) from error
    except BaseException:
        art.remove_written()
        raise
    if not dry_run and report.changed:
        transaction.on_commit(deck_content_changed)
    return report
