"""Validating an import: DRF serializers hold the document to the deck file format.

Every problem is reported at its place in the file (``cards[12].suit``), all in one pass:
- each field: its key known and present, its value of the JSON type and within the rules of
  its model field (what the admin holds an editor to), a text or null per language;
- then, among the entries of a list that passed, the rules over several values: a card's
  arcana, suit, rank and number agree, and no slug, card or order repeats and no positions
  overlap; these run even when other entries of the list failed.
"""

import io
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.settings import AVAILABLE_LANGUAGES, DEFAULT_LANGUAGE
from rest_framework import serializers
from rest_framework.settings import api_settings
from rest_framework.utils.field_mapping import ClassLookupDict

from ..deck_writer import translated_fields
from ..models import Card, Deck, Spread, SpreadPosition
from ..validation import (
    ART_EXTENSIONS,
    PlacedCard,
    card_art_clean_copy,
    card_identity_problems,
    layout_duplicate_orders,
    layout_overlaps,
)
from .format import (
    CARD_FIELDS,
    DECK_FIELDS,
    FORMAT,
    FORMAT_VERSION,
    POSITION_FIELDS,
    SPREAD_FIELDS,
)
from .reading import deck_file_read, is_plain_relative_name
from .reporting import DeckImportError, Problems, join_location

MISSING = gettext_lazy("missing field")
# Each entry is checked field by field, and a broken one costs tens of kilobytes of problems:
# the lists are bounded first. The standard deck has 78 cards and 7 spreads of at most 10
# positions.
CARDS_MAX = 200
SPREADS_MAX = 30
POSITIONS_MAX = 30
# DRF puts an entry's own problems (not one field's) under this key; the file names the entry.
ENTRY_ITSELF = api_settings.NON_FIELD_ERRORS_KEY


def _must_be(kind: str, nullable: bool) -> str:
    return _("must be a %(kind)s%(nullable)s") % {
        "kind": kind,
        "nullable": _(" or null") if nullable else "",
    }


# Error messages are put into words when a problem is found, in the language active then.
must_be = lazy(_must_be, str)


# --------------------------------------------------------------------------- values


class JsonValue(serializers.Field):
    """A JSON value of one type, taken as it is: DRF's own fields would read "3" as 3."""

    kind = ""

    def __init__(self, **kwargs):
        message = must_be(self.kind, kwargs.get("allow_null", False))
        error_messages = {"invalid": message, "null": message, "required": MISSING}
        super().__init__(error_messages=error_messages | kwargs.pop("error_messages", {}), **kwargs)

    def accepts(self, data: object) -> bool:
        raise NotImplementedError

    def to_internal_value(self, data):
        if not self.accepts(data):
            self.fail("invalid")
        return data


class JsonBoolean(JsonValue):
    kind = "boolean"

    def accepts(self, data: object) -> bool:
        return isinstance(data, bool)


class JsonInteger(JsonValue):
    kind = "integer"

    def accepts(self, data: object) -> bool:
        return isinstance(data, int) and not isinstance(data, bool)


class JsonNumber(JsonValue):
    kind = "number"

    def accepts(self, data: object) -> bool:
        return isinstance(data, int | float) and not isinstance(data, bool) and math.isfinite(data)


class JsonString(JsonValue):
    kind = "string"

    def accepts(self, data: object) -> bool:
        return isinstance(data, str)


# The JSON type a model field's value has in the file, looked up along the field's classes.
JSON_VALUE_FOR = ClassLookupDict(
    {
        models.BooleanField: JsonBoolean,
        models.FloatField: JsonNumber,
        models.IntegerField: JsonInteger,
        models.Field: JsonString,
    }
)


class ModelFieldRules:
    """A model field's own validation (choices, lengths, slug characters, ranges), as a DRF
    validator: the same check the admin's forms and ``full_clean`` run for that field."""

    def __init__(self, model_field: models.Field) -> None:
        self.model_field = model_field

    def __call__(self, value: object) -> None:
        self.model_field.clean(value, None)


def _model_value(model_field: models.Field, **kwargs) -> JsonValue:
    """The file's field for a model field: its JSON type, then the model field's rules."""
    return JSON_VALUE_FOR[model_field](
        allow_null=model_field.null, validators=[ModelFieldRules(model_field)], **kwargs
    )


class ArtName(JsonString):
    """A card's uploaded art: null, or a storage name this import can provide.

    From a zip, the file must be in its art/ folder; from plain JSON, already in this
    environment's media storage.
    """

    def __init__(self, **kwargs):
        super().__init__(
            allow_null=True,
            error_messages={"invalid": gettext_lazy("must be a file name or null")},
            **kwargs,
        )

    def accepts(self, data: object) -> bool:
        return isinstance(data, str) and bool(data)

    def to_internal_value(self, data):
        name = super().to_internal_value(data)
        if not is_plain_relative_name(name):
            raise serializers.ValidationError(
                _("“%(name)s” is not a plain relative file name") % {"name": name}
            )
        if name.rsplit(".", 1)[-1].lower() not in ART_EXTENSIONS:
            raise serializers.ValidationError(
                _("“%(name)s” is not a .png, .jpg, .jpeg or .webp file") % {"name": name}
            )
        art_files = self.context["art_files"]
        if self.context["is_archive"]:
            if name not in art_files:
                raise serializers.ValidationError(
                    _("“%(name)s” is not in the zip's art/ folder") % {"name": name}
                )
            # Stored re-encoded, like an upload in the admin: only the pixels are kept. A file
            # that is no allowed image raises Django's ValidationError, which DRF reports here.
            art_files[name] = card_art_clean_copy(io.BytesIO(art_files[name]), name=name)
        elif not default_storage.exists(name):
            raise serializers.ValidationError(
                _(
                    "“%(name)s” is not in this environment's media storage; "
                    "export with --with-art and import the zip"
                )
                % {"name": name}
            )
        return name


class ExactValue(serializers.Field):
    """A value the file must carry exactly as this site writes it; null is one more wrong value."""

    default_error_messages = {"required": MISSING}

    def validate_empty_values(self, data):
        if data is None:
            return False, None
        return super().validate_empty_values(data)


class FormatName(ExactValue):
    def to_internal_value(self, data):
        if data != FORMAT:
            raise serializers.ValidationError(_("must be “%(format)s”") % {"format": FORMAT})
        return data


class FormatVersion(ExactValue):
    def to_internal_value(self, data):
        if type(data) is not int or data != FORMAT_VERSION:
            raise serializers.ValidationError(
                _("version %(version)r is not supported (this site reads version %(supported)s)")
                % {"version": data, "supported": FORMAT_VERSION}
            )
        return data


# --------------------------------------------------------------------------- objects


class JsonObject(serializers.Serializer):
    """A JSON object with exactly the declared keys: an unknown key is a problem, not ignored."""

    default_error_messages = {
        "invalid": gettext_lazy("must be an object"),
        "null": gettext_lazy("must be an object"),
        "required": MISSING,
    }

    def to_internal_value(self, data):
        problems = {}
        if isinstance(data, Mapping):
            problems = {key: [_("unknown field")] for key in sorted(data.keys() - self.fields)}
        try:
            values = super().to_internal_value(data)
        except serializers.ValidationError as error:
            problems |= error.detail
        if problems:
            raise serializers.ValidationError(problems)
        return values


class Translations(JsonObject):
    """A translated field: a text or null per language, given to the entry as name_ko, name_en…"""

    def __init__(self, *, model: type[models.Model], name: str, **kwargs):
        self.original = model._meta.get_field(name)
        self.localized = {
            language: model._meta.get_field(f"{name}_{language}")
            for language in AVAILABLE_LANGUAGES
        }
        super().__init__(source="*", **kwargs)

    def get_fields(self):
        return {
            language: _model_value(
                model_field,
                error_messages={"invalid": gettext_lazy("must be a string or null")},
            )
            for language, model_field in self.localized.items()
        }

    def validate(self, attrs):
        default = attrs[DEFAULT_LANGUAGE]
        if not self.original.blank and not (default and default.strip()):
            raise serializers.ValidationError(
                {DEFAULT_LANGUAGE: [_("is required in the default language")]}
            )
        return {
            model_field.name: attrs[language] for language, model_field in self.localized.items()
        }


class EntrySerializer(JsonObject):
    """A deck, card, spread or position, as its ``Meta.model`` and ``Meta.fields`` say.

    Each of ``Meta.fields`` is checked as its model field, every translated field as an object
    of texts per language; fields declared on the class (art, positions) come last.
    """

    class Meta:
        model: type[models.Model]
        fields: tuple[str, ...]

    def get_fields(self):
        model = self.Meta.model
        fields = {name: _model_value(model._meta.get_field(name)) for name in self.Meta.fields}
        for name in translated_fields(model):
            fields[name] = Translations(model=model, name=name)
        return fields | super().get_fields()


# --------------------------------------------------------------------------- lists


def _repeats(values: list[object]) -> Iterator[tuple[int, int]]:
    """(position, position of the first equal value) for every value seen before."""
    first: dict[object, int] = {}
    for position, value in enumerate(values):
        if value in first:
            yield position, first[value]
        else:
            first[value] = position


def _add(problems: dict, index: int, key: str, message: str) -> None:
    problems.setdefault(index, {}).setdefault(key, []).append(message)


class EntryList(serializers.ListSerializer):
    """Entries of one kind: each checked on its own, then the valid ones against each other.

    DRF checks a list as a whole only when every entry is valid; a file's refusal should name
    a repeated slug even while another entry has a typo.
    """

    default_error_messages = {
        "not_a_list": gettext_lazy("must be a list"),
        "null": gettext_lazy("must be a list"),
        "max_length": gettext_lazy("must have at most {max_length} entries"),
        "required": MISSING,
    }
    # The entry being read, so that lists inside it know their place in the file.
    entry_index: int | None = None

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        if len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        entries: dict[int, dict] = {}
        problems: dict[int, object] = {}
        for index, item in enumerate(data):
            self.entry_index = index
            try:
                entries[index] = self.run_child_validation(item)
            except serializers.ValidationError as error:
                problems[index] = error.detail
        self.entry_index = None
        problems |= self.problems_between(list(entries), list(entries.values()))
        if problems:
            raise serializers.ValidationError(dict(sorted(problems.items())))
        return list(entries.values())

    def problems_between(self, indices: list[int], entries: list[dict]) -> dict[int, dict]:
        """Problems, by entry index, of the rules over several values of the valid entries."""
        return {}

    @property
    def location(self) -> str:
        """This list's place in the file, e.g. ``spreads[4].positions`` while spread 4 is read."""
        path: list[str | int] = []
        node = self
        while node.parent is not None:
            parent = node.parent
            path.append(parent.entry_index if isinstance(parent, EntryList) else node.field_name)
            node = parent
        location = ""
        for key in reversed(path):
            location = join_location(location, key)
        return location


class CardList(EntryList):
    def problems_between(self, indices, entries):
        problems: dict = {}
        for index, card in zip(indices, entries, strict=True):
            for name, message in card_identity_problems(
                arcana=card["arcana"], number=card["number"], suit=card["suit"], rank=card["rank"]
            ).items():
                _add(problems, index, name, message)
        for repeat, first in _repeats([card["slug"] for card in entries]):
            _add(
                problems,
                indices[repeat],
                "slug",
                _("“%(slug)s” is already used by cards[%(first)s]")
                % {"slug": entries[repeat]["slug"], "first": indices[first]},
            )
        identities = [(card["arcana"], card["suit"], card["number"]) for card in entries]
        for repeat, first in _repeats(identities):
            _add(
                problems,
                indices[repeat],
                "number",
                _("the same card (arcana, suit, number) as cards[%(first)s]")
                % {"first": indices[first]},
            )
        return problems


class SpreadList(EntryList):
    def problems_between(self, indices, entries):
        problems: dict = {}
        for repeat, first in _repeats([spread["slug"] for spread in entries]):
            _add(
                problems,
                indices[repeat],
                "slug",
                _("“%(slug)s” is already used by spreads[%(first)s]")
                % {"slug": entries[repeat]["slug"], "first": indices[first]},
            )
        return problems


class PositionList(EntryList):
    def problems_between(self, indices, entries):
        problems: dict = {}
        for repeat, first in layout_duplicate_orders([position["order"] for position in entries]):
            _add(
                problems,
                indices[repeat],
                "order",
                _("order %(order)s is already used by %(location)s")
                % {
                    "order": entries[repeat]["order"],
                    "location": join_location(self.location, indices[first]),
                },
            )
        placed = [
            PlacedCard(
                order=position["order"],
                x=position["x"],
                y=position["y"],
                rotated=position["rotated"],
            )
            for position in entries
        ]
        for first, second in layout_overlaps(placed):
            _add(
                problems,
                indices[second],
                ENTRY_ITSELF,
                _("overlaps %(other)s; only a sideways card may lie on another card's centre")
                % {"other": join_location(self.location, indices[first])},
            )
        return problems


# --------------------------------------------------------------------------- the document


class DeckSerializer(EntrySerializer):
    class Meta:
        model = Deck
        fields = DECK_FIELDS


class CardSerializer(EntrySerializer):
    art = ArtName()

    class Meta:
        model = Card
        fields = CARD_FIELDS
        list_serializer_class = CardList


class PositionSerializer(EntrySerializer):
    class Meta:
        model = SpreadPosition
        fields = POSITION_FIELDS
        list_serializer_class = PositionList


class SpreadSerializer(EntrySerializer):
    positions = PositionSerializer(many=True, max_length=POSITIONS_MAX)

    class Meta:
        model = Spread
        fields = SPREAD_FIELDS
        list_serializer_class = SpreadList


class DeckFileSerializer(JsonObject):
    """The whole document; its context holds the zip's art files and whether it was a zip."""

    format = FormatName()
    version = FormatVersion()
    exported_at = JsonString(
        allow_null=True,
        error_messages={"invalid": gettext_lazy("must be a date and time string or null")},
    )
    deck = DeckSerializer()
    cards = CardSerializer(many=True, max_length=CARDS_MAX)
    spreads = SpreadSerializer(many=True, max_length=SPREADS_MAX)


def _add_problems(problems: Problems, location: str, detail: object) -> None:
    """DRF's errors nest like the document; each message goes to its place in the file."""
    if isinstance(detail, Mapping):
        for key, nested in detail.items():
            place = location if key == ENTRY_ITSELF else join_location(location, key)
            _add_problems(problems, place, nested)
    elif isinstance(detail, list):
        for nested in detail:
            _add_problems(problems, location, nested)
    else:
        problems.add(location, detail)


@dataclass
class DeckDocument:
    """A validated import: model field values ready to apply."""

    deck: dict
    cards: list[dict]
    spreads: list[tuple[dict, list[dict]]]
    art_files: dict[str, bytes]
    is_archive: bool


def deck_import_validate(*, source: bytes) -> DeckDocument:
    """Read and check a deck file (JSON or zip) without touching the database's content.

    Raises DeckImportError listing every problem with its location in the file.
    """
    deck_file = deck_file_read(source=source)
    serializer = DeckFileSerializer(
        context={"art_files": deck_file.art_files, "is_archive": deck_file.is_archive}
    )
    try:
        document = serializer.run_validation(deck_file.document)
    except serializers.ValidationError as error:
        problems = Problems()
        _add_problems(problems, "", error.detail)
        raise DeckImportError(problems.by_location) from None
    spreads = []
    for spread in document["spreads"]:
        positions = spread.pop("positions")
        spreads.append((spread, positions))
    return DeckDocument(
        deck=document["deck"],
        cards=document["cards"],
        spreads=spreads,
        art_files=deck_file.art_files,
        is_archive=deck_file.is_archive,
    )
