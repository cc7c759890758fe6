"""Applying an import: the validated document, written in one transaction or not at all.

Rows go through the deck writer that seeding uses too (tarot/deck_writer.py).
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..cache import deck_content_changed
from ..deck_writer import deck_row_write
from ..models import Card, Deck, Spread, SpreadPosition
from .reporting import WHOLE_FILE, DeckImportError, ImportReport, Problems, join_location
from .validating import DeckDocument, deck_import_validate


class ArtWriter:
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


def _check_card_identities_free(document: DeckDocument, deck: Deck, problems: Problems) -> None:
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
                join_location(join_location("cards", index), "number"),
                _("the same card as “%(slug)s”, which is in the deck but not in the file")
                % {"slug": clash},
            )


def _apply_cards(document: DeckDocument, deck: Deck, report: ImportReport, art: ArtWriter):
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


def _apply_spreads(document: DeckDocument, report: ImportReport, problems: Problems) -> None:
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
                    join_location(join_location("spreads", index), "positions"),
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
    art = ArtWriter(document.art_files, dry_run=dry_run)
    problems = Problems()
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
    except (IntegrityError, DataError) as error:
        # Validation holds the file to the same rules; this names what it did not foresee.
        art.remove_written()
        raise DeckImportError(
            {WHOLE_FILE: [_("The database refused the change: %(error)s") % {"error": error}]}
        ) from error
    except BaseException:
        art.remove_written()
        raise
    if not dry_run and report.changed:
        transaction.on_commit(deck_content_changed)
    return report
