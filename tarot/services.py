"""Writes to the deck: seeding the standard deck and its spreads from tarot/deck_data/."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .cache import deck_content_changed
from .errors import ApplicationError
from .models import KEYWORD_SEPARATOR, Card, Deck, Spread, SpreadPosition

DECK_DATA_DIR = Path(__file__).resolve().parent / "deck_data"
CARD_FILES = ("major_arcana.json", "wands.json", "cups.json", "swords.json", "pentacles.json")
SPREAD_FILE = "spreads.json"
LANGUAGES = ("ko", "en")

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

CARD_TEXT_FIELDS = (
    "name",
    "summary_upright",
    "summary_reversed",
    "meaning_upright",
    "meaning_reversed",
    "love",
    "work",
    "advice",
    "imagery",
    "numerology",
)
CARD_KEYWORD_FIELDS = ("keywords_upright", "keywords_reversed")


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        bucket = getattr(self, outcome)
        bucket[kind] = bucket.get(kind, 0) + 1


def _translated(values: dict, name: str, source: dict | None) -> None:
    for language in LANGUAGES:
        values[f"{name}_{language}"] = (source or {}).get(language) or ""


def _read_json(filename: str) -> dict:
    path = DECK_DATA_DIR / filename
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ApplicationError(f"Deck data file is missing: {path}") from error
    except json.JSONDecodeError as error:
        raise ApplicationError(f"{path}:{error.lineno}:{error.colno}: {error.msg}") from error


def card_values_from_data(entry: dict, *, position: int) -> dict:
    """The model field values for one card entry of the deck data files."""
    values = {
        "arcana": entry["arcana"],
        "number": entry["number"],
        "suit": entry.get("suit"),
        "rank": entry.get("rank"),
        "element": entry["element"],
        "yes_no": entry.get("yes_no", Card.YesNo.MAYBE),
        "position": position,
    }
    for name in CARD_TEXT_FIELDS:
        _translated(values, name, entry.get(name))
    _translated(values, "astrology", entry.get("astrology"))
    for name in CARD_KEYWORD_FIELDS:
        keywords = entry.get(name) or {}
        for language in LANGUAGES:
            values[f"{name}_{language}"] = KEYWORD_SEPARATOR.join(keywords.get(language, []))
    return values


def _upsert(model, lookup: dict, values: dict, *, update: bool, report: SeedReport, kind: str):
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model.objects.create(**lookup, **values)
        report.count(kind, "created")
        return instance
    changed = {name: value for name, value in values.items() if getattr(instance, name) != value}
    if update and changed:
        for name, value in changed.items():
            setattr(instance, name, value)
        instance.full_clean(validate_unique=False, validate_constraints=False)
        instance.save()
        report.count(kind, "updated")
    else:
        report.count(kind, "unchanged")
    return instance


def deck_seed(*, data_set: str = "rider-waite-smith", update: bool = False) -> SeedReport:
    """Create the standard deck and spreads from the data files; atomic and idempotent.

    Missing cards, spreads and positions are created. Existing ones are left as editors left
    them unless ``update`` is true, in which case they are refreshed from the data files.
    """
    if data_set not in DECK_DATA_SETS:
        known = ", ".join(sorted(DECK_DATA_SETS))
        raise ApplicationError(f"Unknown deck “{data_set}”. Known decks: {known}.")
    card_entries = [entry for name in CARD_FILES for entry in _read_json(name)["cards"]]
    spread_entries = _read_json(SPREAD_FILE)["spreads"]
    meta = DECK_DATA_SETS[data_set]
    report = SeedReport()
    with transaction.atomic():
        deck_values: dict = {"is_default": not Deck.objects.exclude(slug=data_set).exists()}
        _translated(deck_values, "name", meta["name"])
        _translated(deck_values, "description", meta["description"])
        deck = _upsert(
            Deck, {"slug": data_set}, deck_values, update=update, report=report, kind="decks"
        )
        for position, entry in enumerate(card_entries):
            _upsert(
                Card,
                {"deck": deck, "slug": entry["slug"]},
                card_values_from_data(entry, position=position),
                update=update,
                report=report,
                kind="cards",
            )
        for entry in spread_entries:
            spread_values: dict = {
                "order": entry.get("order", 0),
                "answers_yes_no": entry.get("answers_yes_no", False),
            }
            _translated(spread_values, "name", entry["name"])
            _translated(spread_values, "description", entry.get("description"))
            spread = _upsert(
                Spread,
                {"slug": entry["slug"]},
                spread_values,
                update=update,
                report=report,
                kind="spreads",
            )
            for position_entry in entry["positions"]:
                position_values: dict = {
                    "x": position_entry["x"],
                    "y": position_entry["y"],
                    "rotated": position_entry.get("rotated", False),
                }
                _translated(position_values, "name", position_entry["name"])
                _translated(position_values, "prompt", position_entry["prompt"])
                _upsert(
                    SpreadPosition,
                    {"spread": spread, "order": position_entry["order"]},
                    position_values,
                    update=update,
                    report=report,
                    kind="positions",
                )
        if report.created or report.updated:
            # Cached payloads and page fragments hold the old content (tarot/cache.py).
            transaction.on_commit(deck_content_changed)
    return report
