"""Writes and domain actions for readings and daily cards."""

import datetime
import hashlib
import json
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import metrics
from core.errors import ApplicationError
from tarot.models import Card, Deck, Spread
from tarot.selectors import (
    card_ids_published,
    card_list_published,
    cards_by_id,
    deck_draw_pool,
    deck_get_default,
)

from .cache import journal_changed
from .models import (
    NOTES_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    DailyCard,
    DrawnCard,
    Reading,
    ReadingIdempotencyKey,
)
from .selectors import reading_cards_in_hand, reading_idempotency_key_get

# The operating system's randomness: readings must not be predictable from earlier draws.
_random = secrets.SystemRandom()

SHARE_TOKEN_BYTES = 24  # 192 bits, well past guessing.

# Every anonymous reading has a share token from its draw (the visitor's only way back), so the
# token says nothing about a wish to keep it: age alone decides.
ANONYMOUS_READING_RETENTION = datetime.timedelta(days=30)
ANONYMOUS_READINGS_PURGE_BATCH_SIZE = 1000


def _no_deck() -> ApplicationError:
    return ApplicationError(_("No deck has been set up yet; run `manage.py seed_deck`."))


def _deck_or_default(deck: Deck | None) -> Deck:
    deck = deck or deck_get_default()
    if deck is None:
        raise _no_deck()
    return deck


def _written_text_check(
    value: str, *, field: str, max_length: int, too_long: str, has_nul: str
) -> None:
    """Refuse what a person wrote when its column cannot hold it: longer than the column, or
    with a NUL character, which PostgreSQL cannot store (a 500 otherwise)."""
    if len(value) > max_length:
        raise ApplicationError(too_long, fields={field: [_at_most(max_length)]})
    if "\x00" in value:
        raise ApplicationError(has_nul, fields={field: [_("NUL characters are not allowed.")]})


def cards_draw(*, card_ids: list[int], count: int, allow_reversed: bool) -> list[tuple[int, bool]]:
    """Draw ``count`` distinct cards without replacement; each may come out reversed."""
    if count > len(card_ids):
        raise ApplicationError(
            _(
                "The deck has %(published)s published cards, "
                "fewer than the %(needed)s this spread needs."
            )
            % {"published": len(card_ids), "needed": count}
        )
    drawn = _random.sample(card_ids, count)
    return [(card_id, allow_reversed and _random.random() < 0.5) for card_id in drawn]


def reading_create(
    *,
    user: User | None,
    spread: Spread,
    question: str = "",
    allow_reversed: bool = True,
    deck: Deck | None = None,
) -> Reading:
    """Draw the spread and store the reading with all its cards, or nothing (one transaction).

    The reading comes back with its drawn cards (card and position) in hand. The number of
    queries does not depend on the spread's size. Anonymous readings
    (``user=None``) get a share token at once: the link is the only way back to them.
    """
    question = question.strip()
    _written_text_check(
        question,
        field="question",
        max_length=QUESTION_MAX_LENGTH,
        too_long=_("The question can be at most %(limit)s characters.")
        % {"limit": QUESTION_MAX_LENGTH},
        has_nul=_("The question contains a NUL character."),
    )
    if deck is None:
        pool = deck_draw_pool()
        if pool is None:
            raise _no_deck()
        deck, card_ids = pool
    else:
        card_ids = card_ids_published(deck=deck)
    # Sorted here rather than by the database, so positions the caller prefetched are reused.
    positions = sorted(spread.positions.all(), key=lambda position: position.order)
    if not positions:
        raise ApplicationError(
            _("This spread has no positions."), fields={"spread": [_("Empty spread.")]}
        )
    draws = cards_draw(card_ids=card_ids, count=len(positions), allow_reversed=allow_reversed)
    cards = cards_by_id(card_ids=[card_id for card_id, _is_reversed in draws])
    with transaction.atomic():
        reading = Reading.objects.create(
            user=user,
            spread=spread,
            deck=deck,
            question=question,
            allow_reversed=allow_reversed,
            share_token=share_token_new() if user is None else None,
        )
        drawn_cards = DrawnCard.objects.bulk_create(
            DrawnCard(
                reading=reading, position=position, card=cards[card_id], is_reversed=reversed_
            )
            for position, (card_id, reversed_) in zip(positions, draws, strict=True)
        )
        if user is not None:
            journal_changed(user_id=user.pk)
    reading_cards_in_hand(reading=reading, drawn_cards=drawn_cards)
    metrics.reading_created(spread=spread.slug)
    return reading


class IdempotencyKeyReused(ApplicationError):
    """The client sent a key it already used, for a different draw."""

    code = "idempotency_key_reused"
    status_code = 422


# How long a client's key stands for its first draw (the API's documented 24 hours).
IDEMPOTENCY_KEY_LIFETIME = datetime.timedelta(hours=24)


def _draw_fingerprint(*, spread: Spread, question: str, allow_reversed: bool) -> str:
    asked = json.dumps([spread.slug, question.strip(), allow_reversed], ensure_ascii=False)
    return hashlib.sha256(asked.encode()).hexdigest()


def reading_create_once(
    *,
    client: str,
    key: str,
    user: User | None,
    spread: Spread,
    question: str = "",
    allow_reversed: bool = True,
) -> Reading:
    """``reading_create``, once per ``client`` and ``key`` within ``IDEMPOTENCY_KEY_LIFETIME``:
    every repeat of the same request gets that first reading back, with its cards. The same
    key for a different draw raises ``IdempotencyKeyReused``, and draws nothing.

    Safe under concurrent calls: the key's row is written in the draw's transaction, and the
    unique (client, key) constraint makes every other caller wait for it and read it.
    """
    fingerprint = _draw_fingerprint(spread=spread, question=question, allow_reversed=allow_reversed)
    since = timezone.now() - IDEMPOTENCY_KEY_LIFETIME
    earlier = reading_idempotency_key_get(client=client, key=key, since=since)
    if earlier is None:
        try:
            with transaction.atomic():
                ReadingIdempotencyKey.objects.filter(
                    client=client, key=key, created_at__lt=since
                ).delete()
                reading = reading_create(
                    user=user, spread=spread, question=question, allow_reversed=allow_reversed
                )
                ReadingIdempotencyKey.objects.create(
                    client=client, key=key, request_fingerprint=fingerprint, reading=reading
                )
            return reading
        except IntegrityError:
            earlier = reading_idempotency_key_get(client=client, key=key, since=since)
            if earlier is None:
                raise
    if earlier.request_fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            _(
                "The Idempotency-Key “%(key)s” was already used for a different draw. "
                "Send a new key for a new draw."
            )
            % {"key": key},
            fields={"Idempotency-Key": [_("Already used for a different draw.")]},
        )
    return earlier.reading


def reading_idempotency_keys_purge() -> int:
    """Delete the keys past ``IDEMPOTENCY_KEY_LIFETIME`` (they no longer stand for anything);
    returns how many. Idempotent."""
    since = timezone.now() - IDEMPOTENCY_KEY_LIFETIME
    deleted, _by_model = ReadingIdempotencyKey.objects.filter(created_at__lt=since).delete()
    return deleted


def share_token_new() -> str:
    return secrets.token_urlsafe(SHARE_TOKEN_BYTES)


def daily_card_get_or_create(*, user: User, on_date: datetime.date) -> DailyCard:
    """The user's card for ``on_date``: drawn once, then always the same.

    Safe under concurrent calls: the unique (user, date) constraint decides the winner and the
    losers read the winner's row.
    """
    existing = DailyCard.objects.filter(user=user, date=on_date).select_related("card").first()
    if existing is not None:
        return existing
    card_ids = card_ids_published(deck=_deck_or_default(None))
    ((card_id, is_reversed),) = cards_draw(card_ids=card_ids, count=1, allow_reversed=True)
    try:
        with transaction.atomic():
            DailyCard.objects.create(
                user=user, date=on_date, card_id=card_id, is_reversed=is_reversed
            )
    except IntegrityError:
        pass
    return DailyCard.objects.select_related("card").get(user=user, date=on_date)


def site_today(now: datetime.datetime | None = None) -> datetime.date:
    """The date of the site-wide card of the day. It changes at midnight in the site's zone
    (``settings.TIME_ZONE``), whatever the visitor's zone or the zone a request activated."""
    return (now or timezone.now()).astimezone(timezone.get_default_timezone()).date()


def site_day_ends_at(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next midnight in the site's zone: when the site-wide card of the day changes."""
    tomorrow = site_today(now) + datetime.timedelta(days=1)
    return datetime.datetime.combine(
        tomorrow, datetime.time(), tzinfo=timezone.get_default_timezone()
    )


def site_daily_card(*, on_date: datetime.date, deck: Deck | None = None) -> tuple[Card, bool]:
    """The card of the day for anonymous visitors: the same for everyone on a given date."""
    deck = _deck_or_default(deck)
    card_ids = card_ids_published(deck=deck)
    if not card_ids:
        raise ApplicationError(_("The deck has no published cards."))
    digest = hashlib.sha256(f"{deck.slug}:{on_date.isoformat()}".encode()).digest()
    index = int.from_bytes(digest[:8], "big") % len(card_ids)
    # Only the chosen card's row: the others' texts (both languages) are never shown.
    return card_list_published(deck=deck).get(pk=card_ids[index]), bool(digest[8] & 1)


def reading_share(*, reading: Reading) -> Reading:
    """Give the reading a share link (keeping an existing one, so links already sent still work)."""
    if not reading.share_token:
        reading.share_token = share_token_new()
        _reading_save(reading, ["share_token", "updated_at"])
    return reading


def reading_unshare(*, reading: Reading) -> Reading:
    """Revoke the share link: the old URL answers 404 from now on."""
    if reading.share_token:
        reading.share_token = None
        _reading_save(reading, ["share_token", "updated_at"])
    return reading


def reading_update_notes(*, reading: Reading, notes: str) -> Reading:
    _written_text_check(
        notes,
        field="notes",
        max_length=NOTES_MAX_LENGTH,
        too_long=_("Notes can be at most %(limit)s characters.") % {"limit": NOTES_MAX_LENGTH},
        has_nul=_("Notes contain a NUL character."),
    )
    reading.notes = notes
    _reading_save(reading, ["notes", "updated_at"])
    return reading


def _at_most(limit: int) -> str:
    return _("At most %(limit)s characters.") % {"limit": limit}


def reading_delete(*, reading: Reading) -> None:
    with transaction.atomic():
        reading.delete()
        if reading.user_id is not None:
            journal_changed(user_id=reading.user_id)


def _reading_save(reading: Reading, fields: list[str]) -> None:
    with transaction.atomic():
        reading.save(update_fields=fields)
        if reading.user_id is not None:
            journal_changed(user_id=reading.user_id)


def anonymous_readings_purge_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Anonymous readings drawn before this instant are past their retention."""
    return (now or timezone.now()) - ANONYMOUS_READING_RETENTION


def anonymous_readings_purge(
    *,
    dry_run: bool = False,
    batch_size: int = ANONYMOUS_READINGS_PURGE_BATCH_SIZE,
) -> int:
    """Delete the anonymous readings older than ``ANONYMOUS_READING_RETENTION``, with their
    cards, and return how many (or, with ``dry_run``, how many would go).

    Idempotent; each batch of at most ``batch_size`` readings is its own transaction, so memory
    and lock time stay bounded however many have piled up, and a run cut short keeps its work.
    """
    expired = Reading.objects.filter(
        user__isnull=True, created_at__lt=anonymous_readings_purge_cutoff()
    )
    if dry_run:
        return expired.count()
    deleted = 0
    while batch := list(expired.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            Reading.objects.filter(pk__in=batch).delete()
        deleted += len(batch)
    return deleted
