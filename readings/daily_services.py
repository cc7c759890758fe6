"""The daily jobs: every user's daily card in bulk, and the daily-card notification.

Both may run again, or at the same moment as another run, without harm:

- daily cards rest on the unique (user, date) constraint: rows are inserted with
  ``ignore_conflicts`` so an existing card (drawn lazily on first view, or by another run) is
  never duplicated nor changed;
- a notification is sent only by the worker that claimed the user's unique
  ``NotificationDelivery`` row for that local date. A claim is a lease (``claimed_until``): a
  worker that dies between claim and send leaves a ``pending`` row that a later run claims again
  once the lease has passed, so nobody else can send while the first worker might still be.
"""

import datetime
import logging
import secrets
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import metrics
from core.errors import ApplicationError
from tarot.selectors import card_ids_published

from .models import DailyCard, NotificationDelivery
from .notifications import NotificationChannels, NotificationSendError
from .services import _deck_or_default, daily_card_get_or_create

logger = logging.getLogger(__name__)

# The operating system's randomness, as for every other draw.
_random = secrets.SystemRandom()

DAILY_CARDS_CHUNK_SIZE = 5_000
RETRY_DELAY_CAP = datetime.timedelta(hours=1)
# The last place on Earth to leave a calendar date is at UTC−12.
LATEST_UTC_OFFSET = datetime.timedelta(hours=-12)
LAST_ERROR_MAX_LENGTH = 2_000

Status = NotificationDelivery.Status


# --- Daily cards ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DailyCardsChunk:
    number: int
    on_date: datetime.date
    users: int
    created: int


@dataclass
class DailyCardsGenerateResult:
    dry_run: bool
    dates: list[datetime.date] = field(default_factory=list)
    users: int = 0
    created: int = 0
    chunks: int = 0


def _local_times(*, users, at: datetime.datetime) -> dict[str, datetime.datetime]:
    """The users' time zones, each with its local time at ``at``. A zone the system does not
    know is left out, and logged: its users get nothing until someone corrects it."""
    local_times = {}
    for zone in users.values_list("time_zone", flat=True).distinct().order_by():
        try:
            local_times[zone] = at.astimezone(zoneinfo.ZoneInfo(zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            logger.error("Users with the unknown time zone %r are skipped", zone)
    return local_times


def _zones_by_local_date(*, users, at: datetime.datetime) -> dict[datetime.date, list[str]]:
    """The users' time zones grouped by the calendar date it is there at ``at``."""
    grouped: dict[datetime.date, list[str]] = defaultdict(list)
    for zone, local in _local_times(users=users, at=at).items():
        grouped[local.date()].append(zone)
    return grouped


def _end_of_date_everywhere(on_date: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        on_date + datetime.timedelta(days=1),
        datetime.time.min,
        tzinfo=datetime.timezone(LATEST_UTC_OFFSET),
    )


def _published_card_ids() -> list[int]:
    deck = _deck_or_default(None)
    card_ids = card_ids_published(deck=deck)
    if not card_ids:
        raise ApplicationError(_("The deck %(deck)s has no published cards.") % {"deck": deck})
    return card_ids


class _InsertedRowCount:
    """Adds up the rows INSERT statements wrote: ``ignore_conflicts`` does not tell."""

    def __init__(self) -> None:
        self.rows = 0

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip()[:6].upper() == "INSERT":
            self.rows += max(context["cursor"].rowcount, 0)
        return result


def _daily_cards_bulk_insert(rows: list[DailyCard]) -> int:
    inserted = _InsertedRowCount()
    with transaction.atomic(), connection.execute_wrapper(inserted):
        DailyCard.objects.bulk_create(rows, ignore_conflicts=True)
    return inserted.rows


def _daily_cards_insert(*, user_ids: list[int], on_date: datetime.date, card_ids: list[int]) -> int:
    """Insert one drawn card per user, skipping users who have one; return the rows written."""
    cards = _random.choices(card_ids, k=len(user_ids))
    reversed_bits = _random.getrandbits(len(user_ids))
    # Positional arguments in the model's field order skip Model.__init__'s keyword handling:
    # a tenth of the job's Python time.
    attnames = [field.attname for field in DailyCard._meta.concrete_fields]
    user_at, date_at, card_at, reversed_at = (
        attnames.index(name) for name in ("user_id", "date", "card_id", "is_reversed")
    )
    blank = [None] * len(attnames)
    blank[date_at] = on_date
    rows = []
    for index, (user_id, card_id) in enumerate(zip(user_ids, cards, strict=True)):
        values = blank.copy()
        values[user_at], values[card_at] = user_id, card_id
        values[reversed_at] = bool(reversed_bits >> index & 1)
        rows.append(DailyCard(*values))
    try:
        return _daily_cards_bulk_insert(rows)
    except IntegrityError:
        # An account was deleted since the chunk was read (the user foreign key is checked at
        # commit): insert for the users who are still there.
        remaining = set(User.objects.filter(pk__in=user_ids).values_list("pk", flat=True))
        return _daily_cards_bulk_insert([row for row in rows if row.user_id in remaining])


def daily_cards_generate(
    *,
    on_date: datetime.date | None = None,
    chunk_size: int = DAILY_CARDS_CHUNK_SIZE,
    dry_run: bool = False,
    on_chunk: Callable[[DailyCardsChunk], None] | None = None,
) -> DailyCardsGenerateResult:
    """Give every active user without a daily card one, in chunks of ``chunk_size`` users.

    Without ``on_date``, each user's card is for the current date in their own time zone; with
    it, every active user who had joined by then gets a card for that date. Idempotent and safe
    beside a concurrent run or ``daily_card_get_or_create``: existing cards are never changed.
    ``created`` counts the rows this run inserted, exactly, even beside a concurrent run.
    """
    if chunk_size < 1:
        raise ApplicationError(_("The chunk size must be at least 1."))
    active = User.objects.filter(is_active=True)
    if on_date is None:
        targets = {
            local_date: active.filter(time_zone__in=zones)
            for local_date, zones in _zones_by_local_date(users=active, at=timezone.now()).items()
        }
    else:
        targets = {on_date: active.filter(date_joined__lt=_end_of_date_everywhere(on_date))}
    card_ids = [] if dry_run else _published_card_ids()
    result = DailyCardsGenerateResult(dry_run=dry_run)
    for target_date, users in sorted(targets.items()):
        result.dates.append(target_date)
        without_card = users.exclude(
            Exists(DailyCard.objects.filter(user_id=OuterRef("pk"), date=target_date))
        ).order_by("pk")
        last_id = 0
        while user_ids := list(
            without_card.filter(pk__gt=last_id).values_list("pk", flat=True)[:chunk_size]
        ):
            last_id = user_ids[-1]
            created = (
                len(user_ids)
                if dry_run
                else _daily_cards_insert(user_ids=user_ids, on_date=target_date, card_ids=card_ids)
            )
            result.chunks += 1
            result.users += len(user_ids)
            result.created += created
            if not dry_run:
                metrics.daily_cards_generated(count=created)
            if on_chunk is not None:
                on_chunk(DailyCardsChunk(result.chunks, target_date, len(user_ids), created))
    return result


# --- Notifications: who is due ----------------------------------------------------------------


def _claimed_or_settled(now: datetime.datetime) -> Q:
    """Deliveries that stop a user being due: sent, failed, or pending but not claimable now."""
    return (
        Q(status__in=[Status.SENT, Status.FAILED])
        | Q(next_attempt_at__gt=now)
        | Q(claimed_until__gt=now)
        | Q(attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS)
    )


def _local_clocks(*, users, now: datetime.datetime) -> dict[tuple, list[str]]:
    """Time zones grouped by their current local (date, time of day)."""
    grouped: dict[tuple, list[str]] = defaultdict(list)
    for zone, local in _local_times(users=users, at=now).items():
        grouped[(local.date(), local.time().replace(tzinfo=None))].append(zone)
    return grouped


def notification_due_user_ids(
    *, chunk_size: int, user_ids: list[int] | None = None
) -> Iterator[list[int]]:
    """Ids of users to notify now, in chunks: active, opted in, past their local notification
    time, and without a delivery for their local date that is sent, failed or not yet claimable
    (a pending one whose retry time came, or whose claim's lease ran out, is due again).
    """
    now = timezone.now()
    opted_in = User.objects.filter(is_active=True, notifications_enabled=True)
    if user_ids is not None:
        opted_in = opted_in.filter(pk__in=user_ids)
    blocking = _claimed_or_settled(now)
    pending: list[int] = []
    for (local_date, local_time), zones in sorted(_local_clocks(users=opted_in, now=now).items()):
        due = (
            opted_in.filter(time_zone__in=zones, notification_time__lte=local_time)
            .exclude(
                Exists(
                    NotificationDelivery.objects.filter(
                        blocking, user_id=OuterRef("pk"), local_date=local_date
                    )
                )
            )
            .order_by("pk")
        )
        last_id = 0
        while page := list(due.filter(pk__gt=last_id).values_list("pk", flat=True)[:chunk_size]):
            last_id = page[-1]
            pending.extend(page)
            while len(pending) >= chunk_size:
                yield pending[:chunk_size]
                pending = pending[chunk_size:]
    if pending:
        yield pending


def notification_deliveries_expire() -> int:
    """Close, as failed, pending deliveries that can no longer be sent.

    Those whose claim ran out on their last allowed attempt (the worker died), and those whose
    day is over everywhere: yesterday's card is not news.
    """
    now = timezone.now()
    unclaimed = Q(status=Status.PENDING) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    )
    exhausted = NotificationDelivery.objects.filter(
        unclaimed, attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS
    ).update(
        status=Status.FAILED,
        claimed_until=None,
        last_error="The last attempt did not finish (the worker stopped).",
        updated_at=now,
    )
    day_over = NotificationDelivery.objects.filter(
        unclaimed, local_date__lt=(now + LATEST_UTC_OFFSET).date()
    ).update(
        status=Status.FAILED,
        claimed_until=None,
        last_error="Not sent before the day was over.",
        updated_at=now,
    )
    if exhausted or day_over:
        logger.warning(
            "Notification deliveries closed as failed: %d out of attempts, %d past their day",
            exhausted,
            day_over,
        )
    return exhausted + day_over


@dataclass(frozen=True)
class NotificationsDue:
    chunks: list[list[int]]
    expired: int

    @property
    def users(self) -> int:
        return sum(len(chunk) for chunk in self.chunks)


def daily_notifications_due(
    *, user_ids: list[int] | None = None, dry_run: bool = False
) -> NotificationsDue:
    """The users due for their notification now (all, or those among ``user_ids``), in chunks
    of ``NOTIFICATION_CHUNK_SIZE`` for one send each, after closing the deliveries that can no
    longer be sent (not on a dry run, which writes nothing).

    Listing a user twice, from two runs at once, is harmless: only one send can claim the
    delivery.
    """
    expired = 0 if dry_run else notification_deliveries_expire()
    chunks = notification_due_user_ids(
        chunk_size=settings.NOTIFICATION_CHUNK_SIZE, user_ids=user_ids
    )
    return NotificationsDue(chunks=list(chunks), expired=expired)


# --- Notifications: claim, send, record -------------------------------------------------------


class Outcome:
    SENT = "sent"
    RETRYING = "retrying"
    FAILED = "failed"
    SKIPPED = "skipped"

    ALL = (SENT, RETRYING, FAILED, SKIPPED)


@dataclass
class NotificationChunkResult:
    counts: Counter = field(default_factory=Counter)  # (channel, outcome) → users
    # attempt number → (latest retry time of the users who failed that attempt, their ids)
    _retry_groups: dict[int, tuple[datetime.datetime, list[int]]] = field(default_factory=dict)

    def count(self, channel: str, outcome: str) -> None:
        self.counts[(channel, outcome)] += 1

    def retry_later(self, *, user_id: int, attempt: int, at: datetime.datetime) -> None:
        latest, user_ids = self._retry_groups.get(attempt, (at, []))
        self._retry_groups[attempt] = (max(latest, at), [*user_ids, user_id])

    @property
    def retries(self) -> list[tuple[datetime.datetime, list[int]]]:
        """When to try again, and whom: one batch per attempt number, so one task each."""
        return sorted(self._retry_groups.values())


def notification_retry_delay(*, attempts: int) -> datetime.timedelta:
    """Exponential backoff: the base delay after the first attempt, doubling, capped at 1 h."""
    delay = datetime.timedelta(seconds=settings.NOTIFICATION_RETRY_DELAY * 2 ** (attempts - 1))
    return min(delay, RETRY_DELAY_CAP)


def _delivery_claim(*, user: User, local_date: datetime.date) -> NotificationDelivery | None:
    """Create the user's delivery for the date if needed and claim it; None if not claimable."""
    now = timezone.now()
    channel = user.notification_channel
    NotificationDelivery.objects.bulk_create(
        [
            NotificationDelivery(
                user=user, local_date=local_date, channel=channel, next_attempt_at=now
            )
        ],
        ignore_conflicts=True,
    )
    lease_end = now + datetime.timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT)
    claimed = (
        NotificationDelivery.objects.filter(
            user=user,
            local_date=local_date,
            status=Status.PENDING,
            next_attempt_at__lte=now,
            attempts__lt=settings.NOTIFICATION_MAX_ATTEMPTS,
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        .update(
            claimed_until=lease_end,
            attempts=F("attempts") + 1,
            channel=channel,
            updated_at=now,
        )
    )
    if not claimed:
        return None
    return NotificationDelivery.objects.get(user=user, local_date=local_date)


def _delivery_settle(delivery: NotificationDelivery, **changes) -> None:
    """Record the outcome, only while this claim still holds the row."""
    changes.update(claimed_until=None, updated_at=timezone.now())
    updated = NotificationDelivery.objects.filter(
        pk=delivery.pk, claimed_until=delivery.claimed_until
    ).update(**changes)
    if not updated:
        logger.error("Delivery %s was claimed by another worker meanwhile", delivery.pk)


def _delivery_fail(
    delivery: NotificationDelivery, *, error: str, permanent: bool
) -> datetime.datetime | None:
    """Record a failed attempt; return when to try again, or None once it is ``failed``."""
    error = error[:LAST_ERROR_MAX_LENGTH]
    if permanent or delivery.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        _delivery_settle(delivery, status=Status.FAILED, last_error=error)
        return None
    retry_at = timezone.now() + notification_retry_delay(attempts=delivery.attempts)
    _delivery_settle(delivery, last_error=error, next_attempt_at=retry_at)
    return retry_at


def _notification_send_one(
    *, user: User, channels: NotificationChannels, result: NotificationChunkResult
) -> None:
    channel = user.notification_channel
    try:
        local_now = timezone.now().astimezone(user.zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        logger.error("User %s has the unknown time zone %r", user.pk, user.time_zone)
        result.count(channel, Outcome.SKIPPED)
        return
    if local_now.time().replace(tzinfo=None) < user.notification_time:
        result.count(channel, Outcome.SKIPPED)
        return
    delivery = _delivery_claim(user=user, local_date=local_now.date())
    if delivery is None:
        result.count(channel, Outcome.SKIPPED)
        return
    try:
        daily_card = daily_card_get_or_create(user=user, on_date=delivery.local_date)
        channels.send(channel=channel, user=user, daily_card=daily_card, delivery=delivery)
    except (NotificationSendError, ApplicationError) as error:
        permanent = getattr(error, "permanent", False)
        retry_at = _delivery_fail(delivery, error=str(error), permanent=permanent)
        logger.warning(
            "Notification to user %s by %s failed (attempt %d, %s): %s",
            user.pk,
            channel,
            delivery.attempts,
            "will retry" if retry_at else "giving up",
            error,
        )
        if retry_at is None:
            result.count(channel, Outcome.FAILED)
        else:
            result.count(channel, Outcome.RETRYING)
            result.retry_later(user_id=user.pk, attempt=delivery.attempts, at=retry_at)
        return
    except BaseException as error:
        # A bug or the task's time limit: free the claim (it counts as an attempt) so a later
        # run retries after the backoff instead of waiting for the lease to run out.
        _delivery_fail(delivery, error=f"{type(error).__name__}: {error}", permanent=False)
        raise
    _delivery_settle(delivery, status=Status.SENT, sent_at=timezone.now(), last_error="")
    result.count(channel, Outcome.SENT)


def notification_chunk_send(*, user_ids: list[int]) -> NotificationChunkResult:
    """Notify each of these users who is still due, claiming each delivery before sending.

    Safe to run twice or concurrently for the same users: a user is sent to only by the run
    that claimed their delivery. Transient failures leave the delivery ``pending`` with a
    backed-off ``next_attempt_at`` (listed in ``retries``); after the last attempt, or on a
    permanent failure, it is ``failed`` with the error recorded.
    """
    result = NotificationChunkResult()
    users = User.objects.filter(
        pk__in=user_ids, is_active=True, notifications_enabled=True
    ).order_by("pk")
    with NotificationChannels() as channels:
        for user in users:
            _notification_send_one(user=user, channels=channels, result=result)
    for (channel, outcome), count in result.counts.items():
        if outcome != Outcome.SKIPPED:
            metrics.notifications_sent(channel=channel, status=outcome, count=count)
    return result


def notification_status_explain(*, user: User) -> str:
    """Why this user is or is not due for today's notification, for operators."""
    if not user.is_active:
        return "the account is inactive"
    if not user.notifications_enabled:
        return "daily notifications are turned off"
    local_now = timezone.now().astimezone(user.zone)
    if local_now.time().replace(tzinfo=None) < user.notification_time:
        return (
            f"their notification time {user.notification_time:%H:%M} has not come yet "
            f"(it is {local_now:%H:%M} in {user.time_zone})"
        )
    delivery = NotificationDelivery.objects.filter(user=user, local_date=local_now.date()).first()
    if delivery is None:
        return "due now"
    if delivery.status == Status.SENT:
        return f"already sent today by {delivery.channel} at {delivery.sent_at:%H:%M} UTC"
    if delivery.status == Status.FAILED:
        return f"failed today after {delivery.attempts} attempt(s): {delivery.last_error}"
    now = timezone.now()
    if delivery.claimed_until and delivery.claimed_until > now:
        return "a worker is sending it right now"
    if delivery.next_attempt_at > now:
        return (
            f"attempt {delivery.attempts} failed ({delivery.last_error}); the next one is at "
            f"{delivery.next_attempt_at:%H:%M:%S} UTC"
        )
    return "due now (retry)"
