"""What an import tells its caller: the refusal with every problem's location, or the report."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.errors import ApplicationError

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
# Where a problem that belongs to no part of the document (its bytes, the zip) is reported.
WHOLE_FILE = "(file)"


def join_location(location: str, key: str | int) -> str:
    """``cards`` + 12 → ``cards[12]``; ``cards[12]`` + ``suit`` → ``cards[12].suit``."""
    if isinstance(key, int):
        return f"{location}[{key}]"
    return f"{location}.{key}" if location else key


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


class Problems:
    """Problems gathered by location, so one refusal can name all of them."""

    def __init__(self) -> None:
        self.by_location: dict[str, list[str]] = {}

    def add(self, location: str, message: str) -> None:
        self.by_location.setdefault(location or WHOLE_FILE, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.by_location:
            raise DeckImportError(self.by_location)


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
