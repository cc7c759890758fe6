"""The deck over the API: cards and spreads.

Payloads are the same for everybody in one language, so each is cached whole and rendered in
the cache backend, per language and ``deck_content_version()`` (an editor's save moves the
version on), and answered with an ETag: a client revalidating with ``If-None-Match`` gets a 304.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny

from core.api.schema import ETAG_PARAMETERS, NOT_MODIFIED_RESPONSE
from core.api.views import (
    ApiGenericView,
    NoQuery,
    Query,
    cache_key,
    conditional_response,
    validate_query,
)
from core.response_cache import share

from .cache import cached_payload
from .models import Card, Spread
from .presentation import card_art_url
from .selectors import (
    CARD_ORDERINGS,
    card_get_published,
    card_list_ordered,
    deck_get_default,
    spread_get_published,
    spread_list_published,
)

# Clients may reuse deck content for 5 minutes, then revalidate (a 304 costs no query).
CONTENT_MAX_AGE = 5 * 60
# Old versions are never read again after an editor's save; this only bounds their lifetime.
CONTENT_CACHE_TIMEOUT = 24 * 60 * 60
SEARCH_MAX_LENGTH = 100


def card_art_absolute_url(card: Card, request) -> str:
    """The uploaded art when there is one, else the card's generated (fingerprinted) SVG face."""
    return request.build_absolute_uri(card_art_url(card))


# --- Serializers ------------------------------------------------------------------------------


class CardSummarySerializer(serializers.Serializer):
    """A card as it appears inside readings and daily cards."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    arcana = serializers.ChoiceField(choices=Card.Arcana.choices)
    suit = serializers.ChoiceField(choices=Card.Suit.choices, allow_null=True)
    art_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_art_url(self, card: Card) -> str:
        return card_art_absolute_url(card, self.context["request"])


class CardListItemSerializer(CardSummarySerializer):
    number = serializers.IntegerField()
    rank = serializers.IntegerField(allow_null=True)
    element = serializers.ChoiceField(choices=Card.Element.choices)
    summary_upright = serializers.CharField()
    summary_reversed = serializers.CharField()
    keywords_upright = serializers.ListField(
        child=serializers.CharField(), source="upright_keywords"
    )
    keywords_reversed = serializers.ListField(
        child=serializers.CharField(), source="reversed_keywords"
    )


class CardDetailSerializer(CardListItemSerializer):
    yes_no = serializers.ChoiceField(choices=Card.YesNo.choices)
    meaning_upright = serializers.CharField()
    meaning_reversed = serializers.CharField()
    love = serializers.CharField()
    work = serializers.CharField()
    advice = serializers.CharField()
    imagery = serializers.CharField()
    astrology = serializers.CharField()
    numerology = serializers.CharField()


class CardFilterSerializer(serializers.Serializer):
    arcana = serializers.ChoiceField(choices=Card.Arcana.choices, required=False)
    suit = serializers.ChoiceField(choices=Card.Suit.choices, required=False)
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=SEARCH_MAX_LENGTH,
        help_text=_("Words to find in card names and keywords, in Korean or English."),
    )
    ordering = serializers.ChoiceField(
        choices=list(CARD_ORDERINGS),
        default="deck",
        help_text=_("deck (deck order), name (in the content language); - reverses."),
    )


class SpreadPositionSerializer(serializers.Serializer):
    order = serializers.IntegerField(help_text=_("1 for the first card laid."))
    name = serializers.CharField()
    prompt = serializers.CharField()
    x = serializers.FloatField(help_text=_("Centre of the card, in card widths from the left."))
    y = serializers.FloatField(help_text=_("Centre of the card, in card heights from the top."))
    rotated = serializers.BooleanField(help_text=_("Laid sideways (the Celtic Cross's cross)."))


class SpreadSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    card_count = serializers.SerializerMethodField()
    positions = SpreadPositionSerializer(many=True, source="positions.all")

    def get_card_count(self, spread: Spread) -> int:
        return len(spread.positions.all())


# --- Views ------------------------------------------------------------------------------------


class DeckContentApi(ApiGenericView):
    permission_classes = (AllowAny,)

    def respond(self, request, name: str, build, *, query: Query, shared: bool = True):
        payload = cached_payload(
            # The path names the card or spread; answers to paths that match none are not kept.
            key=cache_key(request, name, request.path, *query.normalised),
            build=build,
            timeout=CONTENT_CACHE_TIMEOUT,
        )
        response = conditional_response(request, payload=payload, max_age=CONTENT_MAX_AGE)
        return share(response, query=query.normalised) if shared else response


class CardListApi(DeckContentApi):
    serializer_class = CardListItemSerializer

    @extend_schema(
        operation_id="cards_list",
        summary="List the cards of the deck",
        tags=["cards"],
        parameters=[CardFilterSerializer, *ETAG_PARAMETERS],
        responses={200: CardListItemSerializer(many=True), 304: NOT_MODIFIED_RESPONSE},
    )
    def get(self, request):
        query = validate_query(CardFilterSerializer, request, paginator=self.paginator)
        filters = query.values

        def build():
            cards = self.paginate_queryset(card_list_ordered(deck=deck_get_default(), **filters))
            data = CardListItemSerializer(cards, many=True, context={"request": request}).data
            return self.get_paginated_response(data).data

        # Searches stay out of the workers' memory: every text typed would make another entry.
        return self.respond(request, "cards", build, query=query, shared=not filters.get("search"))


class CardDetailApi(DeckContentApi):
    serializer_class = CardDetailSerializer

    @extend_schema(
        operation_id="cards_retrieve",
        summary="One card with its meanings",
        tags=["cards"],
        parameters=ETAG_PARAMETERS,
        responses={200: CardDetailSerializer, 304: NOT_MODIFIED_RESPONSE},
    )
    def get(self, request, slug: str):
        query = validate_query(NoQuery, request)

        def build():
            deck = deck_get_default()
            card = card_get_published(deck=deck, slug=slug) if deck else None
            if card is None:
                raise exceptions.NotFound(_("No published card has this slug."))
            return CardDetailSerializer(card, context={"request": request}).data

        return self.respond(request, "card", build, query=query)


class SpreadListApi(DeckContentApi):
    serializer_class = SpreadSerializer

    @extend_schema(
        operation_id="spreads_list",
        summary="List the spreads with their positions and layout",
        tags=["spreads"],
        parameters=ETAG_PARAMETERS,
        responses={200: SpreadSerializer(many=True), 304: NOT_MODIFIED_RESPONSE},
    )
    def get(self, request):
        query = validate_query(NoQuery, request, paginator=self.paginator)

        def build():
            spreads = self.paginate_queryset(spread_list_published())
            data = SpreadSerializer(spreads, many=True, context={"request": request}).data
            return self.get_paginated_response(data).data

        return self.respond(request, "spreads", build, query=query)


class SpreadDetailApi(DeckContentApi):
    serializer_class = SpreadSerializer

    @extend_schema(
        operation_id="spreads_retrieve",
        summary="One spread with its positions and layout",
        tags=["spreads"],
        parameters=ETAG_PARAMETERS,
        responses={200: SpreadSerializer, 304: NOT_MODIFIED_RESPONSE},
    )
    def get(self, request, slug: str):
        query = validate_query(NoQuery, request)

        def build():
            spread = spread_get_published(slug=slug)
            if spread is None:
                raise exceptions.NotFound(_("No published spread has this slug."))
            return SpreadSerializer(spread, context={"request": request}).data

        return self.respond(request, "spread", build, query=query)
