"""Send the due daily-card notifications now, in this process (beat queues them every 5 min).

Transient failures are retried as the beat job's are: by a chunk task queued for when the
backoff ends.
"""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User, UserManager
from readings.daily_services import (
    NotificationChunkResult,
    Outcome,
    daily_notifications_due,
    notification_status_explain,
)
from readings.tasks import notification_chunk_send_with_retries


class Command(BaseCommand):
    help = (
        "Notify every user whose local notification time has passed and who has not been "
        "notified today; prints the count per channel and status. Never notifies anyone twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count who would be notified, per channel."
        )
        parser.add_argument("--user", metavar="EMAIL", help="Only this user (by email address).")

    def handle(self, *args, dry_run: bool, user: str | None, **options):
        selected = None
        if user is not None:
            selected = User.objects.filter(email=UserManager.normalize_email(user)).first()
            if selected is None:
                raise CommandError(f"No user has the email address {user!r}.")
        user_ids = None if selected is None else [selected.pk]
        chunks = daily_notifications_due(user_ids=user_ids, dry_run=dry_run).chunks
        due_ids = [user_id for chunk in chunks for user_id in chunk]
        if selected is not None and not due_ids:
            self.stdout.write(
                f"{selected.email} is not due: {notification_status_explain(user=selected)}."
            )
            return
        if dry_run:
            channels = Counter(
                User.objects.filter(pk__in=due_ids).values_list("notification_channel", flat=True)
            )
            per_channel = ", ".join(f"{name} {channels[name]}" for name in sorted(channels))
            self.stdout.write(
                f"{len(due_ids)} users would be notified ({per_channel or 'nobody'}). "
                "Dry run: nothing was sent."
            )
            return
        total = NotificationChunkResult()
        for number, chunk in enumerate(chunks, start=1):
            result = notification_chunk_send_with_retries(user_ids=chunk)
            total.counts.update(result.counts)
            self.stdout.write(f"chunk {number}: {len(chunk)} users")
        self._print_table(total)

    def _print_table(self, result: NotificationChunkResult) -> None:
        self.stdout.write(f"{'channel':<8}" + "".join(f"{o:>10}" for o in Outcome.ALL))
        for channel in User.Channel.values:
            counts = "".join(f"{result.counts[(channel, o)]:>10}" for o in Outcome.ALL)
            self.stdout.write(f"{channel:<8}{counts}")
        sent = sum(result.counts[(c, Outcome.SENT)] for c in User.Channel.values)
        self.stdout.write(self.style.SUCCESS(f"{sent} notifications sent."))
