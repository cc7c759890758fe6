"""Reads of the deck: the query shape of every card and spread listing lives here."""

from django.db.models import Prefetch, Q, QuerySet

from .cache import deck_content_cached, deck_content_cached_many
from .models import Card, Deck, Spread, SpreadPosition

# Every draw reads the same rows until an editor saves; old versions' entries just expire.
DRAWING_CACHE_TIMEOUT = 24 * 60 * 60

SEARCHABLE_CARD_FIELDS = (
    "name_ko",
    "name_en",
    "keywords_upright_ko",
    "keywords_upright_en",
    "keywords_reversed_ko",
    "keywords_reversed_en",
)


def deck_get_default() -> Deck | None:
    return Deck.objects.filter(is_default=True).first() or Deck.objects.order_by("id").first()


def card_list_published(*, deck: Deck) -> QuerySet[Card]:
    return Card.objects.filter(deck=deck, is_published=True).order_by("position")


def card_ids_published(*, deck: Deck) -> list[int]:
    """The ids of the deck's published cards in deck order: what every draw chooses from."""
    return list(card_list_published(deck=deck).values_list("id", flat=True))


def card_list(*, deck: Deck, arcana: str = "", suit: str = "", search: str = "") -> QuerySet[Card]:
    """Published cards of the deck in deck order, filtered; search covers both languages."""
    queryset = card_list_published(deck=deck)
    if arcana:
        queryset = queryset.filter(arcana=arcana)
    if suit:
        queryset = queryset.filter(suit=suit)
    for term in search.split():
        matches = Q()
        for field in SEARCHABLE_CARD_FIELDS:
            matches |= Q(**{f"{field}__icontains": term})
        queryset = queryset.filter(matches)
    return queryset


# Client-facing sort orders; names sort in the active language (modeltranslation rewrites "name").
CARD_ORDERINGS = {
    "deck": ("position",),
    "-deck": ("-position",),
    "name": ("name", "position"),
    "-name": ("-name", "-position"),
}


def card_list_ordered(
    *, deck: Deck | None, ordering: str = "deck", arcana: str = "", suit: str = "", search: str = ""
) -> QuerySet[Card]:
    """``card_list`` in one of ``CARD_ORDERINGS``; no deck yet means no cards."""
    if deck is None:
        return Card.objects.none()
    queryset = card_list(deck=deck, arcana=arcana, suit=suit, search=search)
    return queryset.order_by(*CARD_ORDERINGS[ordering])


def card_get_published(*, deck: Deck, slug: str) -> Card | None:
    return card_list_published(deck=deck).filter(slug=slug).first()


def card_neighbours(*, card: Card) -> tuple[Card | None, Card | None]:
    """The published cards just before and after ``card`` in deck order."""
    siblings = Card.objects.filter(deck_id=card.deck_id, is_published=True)
    previous = siblings.filter(position__lt=card.position).order_by("-position").first()
    following = siblings.filter(position__gt=card.position).order_by("position").first()
    return previous, following


def spread_list_published() -> QuerySet[Spread]:
    return Spread.objects.filter(is_published=True).prefetch_related(
        Prefetch("positions", queryset=SpreadPosition.objects.order_by("order"))
    )


def spread_get_published(*, slug: str) -> Spread | None:
    return spread_list_published().filter(slug=slug).first()


def spread_for_drawing(*, slug: str) -> Spread | None:
    """A published spread with its positions, as ``spread_get_published`` returns it, from the
    cache for the current deck content version. Only spreads that exist are kept, so a made-up
    slug costs a query and adds nothing."""
    found = deck_content_cached_many(
        keys={f"drawing:spread:{slug}": slug},
        build=lambda missing: {
            spread.slug: spread for spread in spread_list_published().filter(slug__in=missing)
        },
        timeout=DRAWING_CACHE_TIMEOUT,
    )
    return found.get(slug)


def deck_draw_pool() -> tuple[Deck, list[int]] | None:
    """The default deck and the ids of its published cards, from the cache for the current deck
    content version; None while no deck is set up."""

    def build() -> tuple[Deck, list[int]] | None:
        deck = deck_get_default()
        if deck is None:
            return None
        return deck, card_ids_published(deck=deck)

    return deck_content_cached(key="drawing:pool", build=build, timeout=DRAWING_CACHE_TIMEOUT)


def cards_by_id(*, card_ids: list[int]) -> dict[int, Card]:
    """The cards with these ids, each from the cache for the current deck content version."""
    return deck_content_cached_many(
        keys={f"drawing:card:{card_id}": card_id for card_id in card_ids},
        build=lambda missing: Card.objects.in_bulk(missing),
        timeout=DRAWING_CACHE_TIMEOUT,
    )
