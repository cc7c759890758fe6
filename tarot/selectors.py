"""Reads of the deck: the query shape of every card and spread listing lives here."""

from django.db.models import Prefetch, QuerySet

from .models import Card, Deck, Spread, SpreadPosition


def deck_get_default() -> Deck | None:
    return Deck.objects.filter(is_default=True).first() or Deck.objects.order_by("id").first()


def card_list_published(*, deck: Deck) -> QuerySet[Card]:
    return Card.objects.filter(deck=deck, is_published=True).order_by("position")


def spread_list_published() -> QuerySet[Spread]:
    return Spread.objects.filter(is_published=True).prefetch_related(
        Prefetch("positions", queryset=SpreadPosition.objects.order_by("order"))
    )


def spread_get_published(*, slug: str) -> Spread | None:
    return spread_list_published().filter(slug=slug).first()
