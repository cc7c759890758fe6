from django.core.management.base import BaseCommand, CommandError, no_translations

from core.errors import ApplicationError
from tarot.services import DECK_DATA_SETS, deck_seed


class Command(BaseCommand):
    help = (
        "Create the standard 78-card deck and its spreads from tarot/deck_data/. Idempotent: "
        "what exists is left as editors left it unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--deck",
            default="rider-waite-smith",
            help=f"Which deck to seed (known: {', '.join(sorted(DECK_DATA_SETS))}).",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Refresh existing cards, spreads and positions from the data files.",
        )

    # Operators' logs read the same everywhere: the source (English) text.
    @no_translations
    def handle(self, *args, deck, update, **options):
        try:
            report = deck_seed(data_set=deck, update=update)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for kind in ("decks", "cards", "spreads", "positions"):
            self.stdout.write(
                f"{kind}: {report.created.get(kind, 0)} created, "
                f"{report.updated.get(kind, 0)} updated, "
                f"{report.unchanged.get(kind, 0)} unchanged"
            )
        self.stdout.write(self.style.SUCCESS(f"Deck “{deck}” is seeded."))
