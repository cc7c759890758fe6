"""Export: the deck, its cards and every spread as one document, as JSON or as a zip with art."""

import io
import json
import zipfile

from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from modeltranslation.settings import AVAILABLE_LANGUAGES

from core.errors import ApplicationError

from ..deck_writer import translated_fields
from ..models import Deck, Spread, SpreadPosition
from .format import (
    ARCHIVE_ART_PREFIX,
    ARCHIVE_DOCUMENT,
    CARD_FIELDS,
    DECK_FIELDS,
    FORMAT,
    FORMAT_VERSION,
    POSITION_FIELDS,
    SPREAD_FIELDS,
)


def _entry(instance: models.Model, plain_fields: tuple[str, ...]) -> dict:
    entry = {name: getattr(instance, name) for name in plain_fields}
    for name in translated_fields(type(instance)):
        entry[name] = {
            language: getattr(instance, f"{name}_{language}") for language in AVAILABLE_LANGUAGES
        }
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
