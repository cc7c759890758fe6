"""Delete the anonymous readings past their retention now (beat runs this daily)."""

from django.core.management.base import BaseCommand, no_translations

from core.commands import positive_whole_number
from readings.services import (
    ANONYMOUS_READINGS_PURGE_BATCH_SIZE,
    anonymous_readings_purge,
    anonymous_readings_purge_cutoff,
)


class Command(BaseCommand):
    help = (
        "Delete the anonymous readings (no user) drawn more than 30 days ago, in batches. "
        "Idempotent; signed-in users' readings are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count the readings that would go."
        )
        parser.add_argument(
            "--batch-size",
            default=str(ANONYMOUS_READINGS_PURGE_BATCH_SIZE),
            help=f"Readings per delete (default {ANONYMOUS_READINGS_PURGE_BATCH_SIZE}).",
        )

    # Operators' logs read the same everywhere: the source (English) text.
    @no_translations
    def handle(self, *args, dry_run: bool, batch_size: str, **options):
        size = positive_whole_number(batch_size, option="--batch-size")
        cutoff = anonymous_readings_purge_cutoff()
        count = anonymous_readings_purge(dry_run=dry_run, batch_size=size)
        verb = "would be deleted" if dry_run else "deleted"
        summary = f"{count} anonymous readings drawn before {cutoff.isoformat(' ')} {verb}."
        if dry_run:
            summary += " Dry run: nothing was deleted."
        self.stdout.write(self.style.SUCCESS(summary))
