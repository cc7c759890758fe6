import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from tarot.exchange import DECK_FILE_MAX_BYTES, DeckImportError, deck_import


class Command(BaseCommand):
    help = (
        "Import a deck file written by export_deck (JSON, or the zip of --with-art). Everything "
        "is validated first; then the deck, cards, spreads and positions (matched by slug) are "
        "updated in one transaction, or nothing changes. --dry-run reports without changing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .json or .zip file ('-' reads standard input).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and report what would change, and change nothing.",
        )

    # Operators' logs read the same everywhere: the source (English) text, like seed_deck.
    @no_translations
    def handle(self, *args, file, dry_run, **options):
        try:
            # One byte past the limit is enough for the import to refuse a larger file.
            if file == "-":
                source = sys.stdin.buffer.read(DECK_FILE_MAX_BYTES + 1)
            else:
                with Path(file).open("rb") as deck_file:
                    source = deck_file.read(DECK_FILE_MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            report = deck_import(source=source, dry_run=dry_run)
        except DeckImportError as error:
            raise CommandError("\n".join([error.message, *error.lines])) from error
        for line in report.summary_lines():
            self.stdout.write(line)
        if options["verbosity"] >= 2:
            for change in report.changes:
                fields = f" ({', '.join(change.fields)})" if change.fields else ""
                self.stdout.write(f"  {change.outcome} {change.kind[:-1]} {change.label}{fields}")
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(warning))
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS("Dry run: the file is valid; nothing was changed.")
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported deck “{report.deck_slug}”."))
