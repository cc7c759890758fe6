"""Writes to the deck: seeding the standard deck and its spreads from tarot/deck_data/."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction
from django.utils.translation import gettext as _
from modeltranslation.settings import AVAILABLE_LANGUAGES

from core.errors import ApplicationError

from .cache import deck_content_changed
from .deck_writer import deck_row_write, translated_fields
from .models import KEYWORD_SEPARATOR, Card, Deck, Spread, SpreadPosition

DECK_DATA_DIR = Path(__file__).resolve().parent / "deck_data"
CARD_FILES = ("major_arcana.json", "wands.json", "cups.json", "swords.json", "pentacles.json")
SPREAD_FILE = "spreads.json"

# Seedable data sets: the slug of the deck each creates, with its names.
DECK_DATA_SETS = {
    "rider-waite-smith": {
        "name": {"ko": "라이더–웨이트–스미스", "en": "Rider–Waite–Smith"},
        "description": {
            "ko": "22장의 메이저 아르카나와 56장의 마이너 아르카나로 이루어진 표준 78장 덱이에요.",
            "en": "The standard 78-card deck: 22 major arcana and 56 minor arcana.",
        },
    },
}


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        bucket = getattr(self, outcome)
        bucket[kind] = bucket.get(kind, 0) + 1


def _texts(model: type[models.Model], entry: dict) -> dict[str, str]:
    """Every translated field of ``model`` in every language; what the entry lacks is empty.

    Keywords are lists in the data files and one comma-separated text in the database.
    """
    values = {}
    for name in translated_fields(model):
        texts = entry.get(name) or {}
        for language in AVAILABLE_LANGUAGES:
            text = texts.get(language) or ""
            values[f"{name}_{language}"] = (
                KEYWORD_SEPARATOR.join(text) if isinstance(text, list) else text
            )
    return values


def _read_json(filename: str) -> dict:
    path = DECK_DATA_DIR / filename
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ApplicationError(_("Deck data file is missing: %(path)s") % {"path": path}) from error
    except json.JSONDecodeError as error:
        raise ApplicationError(f"{path}:{error.lineno}:{error.colno}: {error.msg}") from error


def card_values_from_data(entry: dict, *, position: int) -> dict:
    """The model field values for one card entry of the deck data files."""
    return {
        "arcana": entry["arcana"],
        "number": entry["number"],
        "suit": entry.get("suit"),
        "rank": entry.get("rank"),
        "element": entry["element"],
        "yes_no": entry.get("yes_no", Card.YesNo.MAYBE),
        "position": position,
        **_texts(Card, entry),
    }


def _seed_row(
    model: type[models.Model],
    lookup: dict,
    values: dict,
    *,
    update: bool,
    report: SeedReport,
    kind: str,
) -> models.Model:
    instance = model.objects.filter(**lookup).first() or model(**lookup)
    report.count(kind, deck_row_write(instance=instance, values=values, overwrite=update).outcome)
    return instance


def deck_seed(*, data_set: str = "rider-waite-smith", update: bool = False) -> SeedReport:
    """Create the standard deck and spreads from the data files; atomic and idempotent.

    Missing cards, spreads and positions are created. Existing ones are left as editors left
    them unless ``update`` is true, in which case they are refreshed from the data files.
    """
    if data_set not in DECK_DATA_SETS:
        known = ", ".join(sorted(DECK_DATA_SETS))
        raise ApplicationError(
            _("Unknown deck “%(deck)s”. Known decks: %(known)s.")
            % {"deck": data_set, "known": known}
        )
    card_entries = [entry for name in CARD_FILES for entry in _read_json(name)["cards"]]
    spread_entries = _read_json(SPREAD_FILE)["spreads"]
    report = SeedReport()
    with transaction.atomic():
        deck = _seed_row(
            Deck,
            {"slug": data_set},
            {
                "is_default": not Deck.objects.exclude(slug=data_set).exists(),
                **_texts(Deck, DECK_DATA_SETS[data_set]),
            },
            update=update,
            report=report,
            kind="decks",
        )
        for position, entry in enumerate(card_entries):
            _seed_row(
                Card,
                {"deck": deck, "slug": entry["slug"]},
                card_values_from_data(entry, position=position),
                update=update,
                report=report,
                kind="cards",
            )
        for entry in spread_entries:
            spread = _seed_row(
                Spread,
                {"slug": entry["slug"]},
                {
                    "order": entry.get("order", 0),
                    "answers_yes_no": entry.get("answers_yes_no", False),
                    **_texts(Spread, entry),
                },
                update=update,
                report=report,
                kind="spreads",
            )
            for position_entry in entry["positions"]:
                _seed_row(
                    SpreadPosition,
                    {"spread": spread, "order": position_entry["order"]},
                    {
                        "x": position_entry["x"],
                        "y": position_entry["y"],
                        "rotated": position_entry.get("rotated", False),
                        **_texts(SpreadPosition, position_entry),
                    },
                    update=update,
                    report=report,
                    kind="positions",
                )
        if report.created or report.updated:
            # Cached payloads and page fragments hold the old content (tarot/cache.py).
            transaction.on_commit(deck_content_changed)
    return report
