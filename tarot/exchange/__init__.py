"""Moving a deck between environments (staging → production): export and import.

- ``format``: the file's names and fields, shared by both directions;
- ``export``: the deck as JSON, or as a zip with its uploaded art;
- ``reading``: an upload's bytes → the JSON document and a zip's art (sizes and entries capped);
- ``validating``: DRF serializers → a DeckDocument, or every problem with its location;
- ``applying``: the document written in one transaction through the deck writer, art stored;
- ``reporting``: what the caller is told: DeckImportError, or the ImportReport of changes.

Import promises:
- everything is validated before anything is written, and every problem is reported with its
  exact location (``cards[12].suit: A minor card needs a suit.``);
- the apply is one transaction: the deck (matched by slug), its cards (by slug), the spreads
  (by slug) and their positions (by order) are all updated, or nothing changes;
- a dry run performs the same apply and rolls it back, so its counts are what a real run does;
- cards of the deck that are not in the file are kept (readings point at them) and reported.
"""

from .applying import deck_import
from .export import deck_export, deck_export_archive, deck_export_json, export_filename
from .reading import DECK_FILE_MAX_BYTES
from .reporting import DeckImportError, ImportChange, ImportReport
from .validating import DeckDocument, deck_import_validate

__all__ = [
    "DECK_FILE_MAX_BYTES",
    "DeckDocument",
    "DeckImportError",
    "ImportChange",
    "ImportReport",
    "deck_export",
    "deck_export_archive",
    "deck_export_json",
    "deck_import",
    "deck_import_validate",
    "export_filename",
]
