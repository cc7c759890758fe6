"""Create the missing daily cards now (the job beat runs every 15 minutes)."""

import datetime

from django.core.management.base import BaseCommand, CommandError, no_translations

from core.commands import positive_whole_number
from core.errors import ApplicationError
from readings.daily_services import DAILY_CARDS_CHUNK_SIZE, DailyCardsChunk, daily_cards_generate


class Command(BaseCommand):
    help = (
        "Give every active user without a daily card one: for the current date in each user's "
        "time zone, or for --date. Idempotent; existing cards are never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            dest="on_date",
            metavar="YYYY-MM-DD",
            help="Create cards for this date for every active user (default: each user's today).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count the cards that would be created."
        )
        parser.add_argument(
            "--chunk-size",
            default=str(DAILY_CARDS_CHUNK_SIZE),
            help=f"Users per insert (default {DAILY_CARDS_CHUNK_SIZE}).",
        )

    # Operators' logs read the same everywhere: the source (English) text, like seed_deck.
    @no_translations
    def handle(self, *args, on_date: str | None, dry_run: bool, chunk_size: str, **options):
        size = positive_whole_number(chunk_size, option="--chunk-size")
        parsed_date = None
        if on_date is not None:
            try:
                parsed_date = datetime.date.fromisoformat(on_date)
            except ValueError:
                raise CommandError(
                    f"--date must be a calendar date like 2026-11-27, not {on_date!r}."
                ) from None
        verb = "would be created" if dry_run else "created"

        def report_chunk(chunk: DailyCardsChunk) -> None:
            self.stdout.write(
                f"chunk {chunk.number} ({chunk.on_date}): {chunk.users} users without a card, "
                f"{chunk.created} {verb}"
            )

        try:
            result = daily_cards_generate(
                on_date=parsed_date,
                dry_run=dry_run,
                chunk_size=size,
                on_chunk=report_chunk,
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        dates = ", ".join(date.isoformat() for date in result.dates) or "none"
        summary = f"{result.created} daily cards {verb} for {result.users} users (dates: {dates})."
        if dry_run:
            summary += " Dry run: nothing was written."
        self.stdout.write(self.style.SUCCESS(summary))
