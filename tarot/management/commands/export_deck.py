from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from core.errors import ApplicationError
from tarot.exchange import deck_export_archive, deck_export_json
from tarot.models import Deck
from tarot.selectors import deck_get_default


class Command(BaseCommand):
    help = (
        "Write a deck, its cards (every language), and all spreads with their positions as JSON "
        "for import_deck in another environment. Read only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--deck", help="Slug of the deck (default: the default deck).")
        parser.add_argument(
            "--output", help="File to write (default: standard output; required with --with-art)."
        )
        parser.add_argument(
            "--with-art",
            action="store_true",
            help="Write a zip holding the JSON and every uploaded art file it references.",
        )

    # Operators' logs read the same everywhere: the source (English) text, like seed_deck.
    @no_translations
    def handle(self, *args, deck, output, with_art, **options):
        if with_art and not output:
            raise CommandError("--with-art writes a zip file: give it a name with --output FILE.")
        if deck:
            chosen = Deck.objects.filter(slug=deck).first()
            if chosen is None:
                known = ", ".join(Deck.objects.order_by("slug").values_list("slug", flat=True))
                raise CommandError(f"No deck “{deck}”. Known decks: {known or 'none'}.")
        else:
            chosen = deck_get_default()
            if chosen is None:
                raise CommandError("There is no deck to export; run seed_deck or import_deck.")
        try:
            content = (
                deck_export_archive(deck=chosen) if with_art else deck_export_json(deck=chosen)
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if not output or output == "-":
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        try:
            Path(output).write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from error
        cards = chosen.cards.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported deck “{chosen.slug}” ({cards} cards) to {output} "
                f"({len(content):,} bytes)."
            )
        )
