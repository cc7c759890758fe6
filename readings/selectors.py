"""Reads of readings and daily cards; each owns its query shape (no N+1 on any list)."""

import datetime
import re

from django.db.models import Prefetch, QuerySet

from accounts.models import User

from .models import DailyCard, DrawnCard, NotificationDelivery, Reading, ReadingIdempotencyKey

SHARE_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _drawn_cards(lookup: str = "drawn_cards") -> Prefetch:
    return Prefetch(
        lookup,
        queryset=DrawnCard.objects.select_related("card", "position").order_by("position__order"),
        to_attr="drawn_cards_in_order",
    )


def _with_cards(queryset: QuerySet[Reading]) -> QuerySet[Reading]:
    return queryset.select_related("spread", "deck").prefetch_related(_drawn_cards())


def reading_list(*, user: User) -> QuerySet[Reading]:
    """The user's readings, newest first, with their spread and drawn cards."""
    return _with_cards(Reading.objects.filter(user=user)).order_by("-created_at", "-id")


def reading_list_rows(*, user: User) -> QuerySet[Reading]:
    """The user's readings, newest first, without anything that is fixed at the draw: only the
    id, creation time, notes and share token (for callers that have the rest cached)."""
    readings = Reading.objects.filter(user=user).order_by("-created_at", "-id")
    return readings.only("id", "created_at", "notes", "share_token")


def reading_list_by_ids(*, user: User, reading_ids: list[int]) -> QuerySet[Reading]:
    """The user's readings among ``reading_ids``, with their spread and drawn cards."""
    return _with_cards(Reading.objects.filter(user=user, pk__in=reading_ids))


def reading_cards_in_hand(*, reading: Reading, drawn_cards: list[DrawnCard]) -> None:
    """Gives ``reading`` the ``drawn_cards_in_order`` the selectors' prefetch would, from
    ``drawn_cards`` (each with its card and position already set), without a query."""
    reading.drawn_cards_in_order = sorted(drawn_cards, key=lambda drawn: drawn.position.order)


def reading_idempotency_key_get(
    *, client: str, key: str, since: datetime.datetime
) -> ReadingIdempotencyKey | None:
    """The client's key written after ``since``, with its reading and the reading's cards."""
    keys = ReadingIdempotencyKey.objects.filter(client=client, key=key, created_at__gte=since)
    return (
        keys.select_related("reading__spread", "reading__deck")
        .prefetch_related(_drawn_cards("reading__drawn_cards"))
        .first()
    )


def reading_get_for_owner(*, user: User, reading_id: int) -> Reading | None:
    """The reading if it belongs to ``user``; None otherwise (callers answer 404, not 403)."""
    if not user.is_authenticated:
        return None
    return _with_cards(Reading.objects.filter(user=user, pk=reading_id)).first()


def reading_get_shared(*, token: str) -> Reading | None:
    # Only what share_token_new makes can match; anything else (a NUL byte, which PostgreSQL
    # refuses in a query) is simply not a link.
    if not SHARE_TOKEN_PATTERN.fullmatch(token or ""):
        return None
    return _with_cards(Reading.objects.filter(share_token=token)).first()


def daily_card_history(*, user: User, until: datetime.date | None = None) -> QuerySet[DailyCard]:
    queryset = DailyCard.objects.filter(user=user).select_related("card")
    if until is not None:
        queryset = queryset.filter(date__lte=until)
    return queryset.order_by("-date")


# --- The person's data export (accounts.services.user_export_data) -----------------------------


def readings_export(user: User) -> list[dict]:
    readings = (
        Reading.objects.filter(user=user)
        .select_related("spread")
        .prefetch_related("drawn_cards__card", "drawn_cards__position")
        .order_by("created_at")
    )
    return [
        {
            "id": reading.pk,
            "created_at": reading.created_at.isoformat(),
            "spread": reading.spread.slug,
            "question": reading.question,
            "notes": reading.notes,
            "shared": bool(reading.share_token),
            "cards": [
                {
                    "position": drawn.position.order,
                    "position_name": drawn.position.name,
                    "card": drawn.card.slug,
                    "card_name": drawn.card.name,
                    "reversed": drawn.is_reversed,
                }
                for drawn in reading.drawn_cards.all()
            ],
        }
        for reading in readings
    ]


def daily_cards_export(user: User) -> list[dict]:
    daily_cards = DailyCard.objects.filter(user=user).select_related("card").order_by("date")
    return [
        {"date": daily.date.isoformat(), "card": daily.card.slug, "reversed": daily.is_reversed}
        for daily in daily_cards
    ]


def notifications_export(user: User) -> list[dict]:
    deliveries = NotificationDelivery.objects.filter(user=user).order_by("local_date")
    return [
        {
            "date": delivery.local_date.isoformat(),
            "channel": delivery.channel,
            "status": delivery.status,
            "sent_at": delivery.sent_at.isoformat() if delivery.sent_at else None,
        }
        for delivery in deliveries
    ]
