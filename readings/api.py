"""Readings, shared readings and daily cards over the API.

A reading is only ever visible to its owner (anyone else gets 404, never 403) or, without the
owner's identity and notes, through its share token.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from core.api.errors import ErrorSerializer
from core.api.schema import ETAG_PARAMETERS, NOT_MODIFIED_RESPONSE
from core.api.throttling import ScopedRateThrottle, client_identity
from core.api.views import (
    ApiGenericView,
    ApiView,
    InputSerializer,
    NoQuery,
    RenderedPayload,
    cache_key,
    conditional_response,
    payload_render,
    validate_query,
)
from core.response_cache import private_no_store, share
from tarot.api import CardSummarySerializer, SpreadPositionSerializer
from tarot.cache import cached_payload, deck_content_cached_many
from tarot.models import Card, CardText
from tarot.selectors import spread_for_drawing

from .cache import journal_cached
from .interpretation import reading_interpret
from .models import IDEMPOTENCY_KEY_MAX_LENGTH, NOTES_MAX_LENGTH, QUESTION_MAX_LENGTH, Reading
from .selectors import (
    daily_card_history,
    reading_get_for_owner,
    reading_get_shared,
    reading_list_by_ids,
    reading_list_rows,
)
from .services import (
    ANONYMOUS_READING_RETENTION,
    daily_card_get_or_create,
    reading_create,
    reading_create_once,
    reading_delete,
    reading_share,
    reading_unshare,
    reading_update_notes,
    site_daily_card,
    site_day_ends_at,
    site_today,
)

# Anonymous clients may reuse the card of the day for at most this long before revalidating.
SITE_DAILY_CARD_MAX_AGE = 60 * 60
# A journal is read again and again within a visit, rarely a day later; about 3 KB a reading,
# so an hour keeps Redis at the readings of the last hour's visitors (deploy/README.md, Capacity).
READING_CACHE_TIMEOUT = 60 * 60
# A whole journal page (about 60 KB for 20 readings) only for a visit: rebuilt from the cached
# readings it is cheap, and kept longer it would double the journal's share of Redis.
JOURNAL_PAGE_CACHE_TIMEOUT = 10 * 60


# --- Serializers ------------------------------------------------------------------------------


class SpreadReferenceSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class DrawnCardSerializer(serializers.Serializer):
    """One card of a reading in its position (a ``readings.interpretation.CardInPosition``)."""

    position = SpreadPositionSerializer(source="drawn.position")
    card = CardSummarySerializer()
    is_reversed = serializers.BooleanField()
    orientation = serializers.CharField(
        source="text.orientation", help_text=_("“upright” or “reversed”, translated.")
    )
    summary = serializers.CharField(
        source="text.summary", help_text=_("The card's one-line meaning, this way up.")
    )
    meaning = serializers.CharField(
        source="text.meaning", help_text=_("The card's meaning, this way up.")
    )
    keywords = serializers.ListField(child=serializers.CharField(), source="text.keywords")


class ReadingSerializer(serializers.Serializer):
    """A reading as anyone holding its share link sees it: no owner, no notes."""

    created_at = serializers.DateTimeField()
    spread = SpreadReferenceSerializer()
    question = serializers.CharField()
    allow_reversed = serializers.BooleanField()
    cards = DrawnCardSerializer(many=True, source="interpreted_cards")
    summary = serializers.ListField(
        child=serializers.CharField(),
        source="summary_paragraphs",
        help_text=_("Paragraphs reading the spread as a whole."),
    )

    def to_representation(self, reading: Reading):
        reading.interpreted_cards, reading.summary_paragraphs = reading_interpret(reading)
        return super().to_representation(reading)


class OwnReadingFieldsSerializer(serializers.Serializer):
    """What only the owner sees of a reading, and what can change after the draw."""

    id = serializers.IntegerField()
    notes = serializers.CharField()
    share_token = serializers.CharField(
        allow_null=True, help_text=_("Null until the reading is shared.")
    )
    share_url = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_share_url(self, reading: Reading) -> str | None:
        path = reading.get_shared_url()
        return None if path is None else self.context["request"].build_absolute_uri(path)


class OwnReadingSerializer(ReadingSerializer, OwnReadingFieldsSerializer):
    """A reading as its owner (or, once, the anonymous visitor who drew it) sees it."""


class ReadingCreateSerializer(InputSerializer):
    spread = serializers.SlugField(max_length=60, help_text=_("The slug of a published spread."))
    question = serializers.CharField(
        max_length=QUESTION_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    allow_reversed = serializers.BooleanField(required=False, default=True)


class ReadingNotesSerializer(InputSerializer):
    notes = serializers.CharField(
        max_length=NOTES_MAX_LENGTH, allow_blank=True, trim_whitespace=False, required=False
    )


@dataclass(frozen=True)
class DailyCardView:
    """A daily card for the payload: a user's ``DailyCard`` row or the site-wide card."""

    date: datetime.date
    card: Card
    is_reversed: bool
    personal: bool

    @property
    def text(self) -> CardText:
        return self.card.text_for(is_reversed=self.is_reversed)


class DailyCardSerializer(serializers.Serializer):
    date = serializers.DateField()
    personal = serializers.BooleanField(
        help_text=_("True: the signed-in user's own card; false: the site-wide card of the day.")
    )
    card = CardSummarySerializer()
    is_reversed = serializers.BooleanField()
    orientation = serializers.CharField(source="text.orientation")
    summary = serializers.CharField(source="text.summary")
    meaning = serializers.CharField(source="text.meaning")
    keywords = serializers.ListField(child=serializers.CharField(), source="text.keywords")


# --- Helpers ----------------------------------------------------------------------------------


def _own_reading_or_404(request, reading_id: int) -> Reading:
    reading = reading_get_for_owner(user=request.user, reading_id=reading_id)
    if reading is None:
        raise exceptions.NotFound(_("You have no reading with this id."))
    return reading


def _drawn_contents(request, readings: list[Reading]) -> dict[int, dict]:
    """Each reading's ``ReadingSerializer`` payload by id, from the cache where it is there.

    What a drawn reading shows never changes except through the deck's content (an editor's
    save), so it is cached per reading and language; an id comes with its creation time in the
    key, because some databases reuse a deleted row's id.
    """
    keys = {
        cache_key(request, "reading", reading.pk, reading.created_at.isoformat()): reading.pk
        for reading in readings
    }

    def build(missing_ids: list[int]) -> dict[int, dict]:
        with_cards = reading_list_by_ids(user=request.user, reading_ids=missing_ids)
        return {
            reading.pk: ReadingSerializer(reading, context={"request": request}).data
            for reading in with_cards
        }

    return deck_content_cached_many(keys=keys, build=build, timeout=READING_CACHE_TIMEOUT)


def _own_reading_response(request, reading: Reading, status_code: int = status.HTTP_200_OK):
    data = OwnReadingSerializer(reading, context={"request": request}).data
    return private_no_store(Response(data, status=status_code))


IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
# Printable ASCII without spaces: what a client's UUID or random token is made of.
IDEMPOTENCY_KEY_PATTERN = re.compile(rf"[!-~]{{1,{IDEMPOTENCY_KEY_MAX_LENGTH}}}")
IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_KEY_HEADER,
    str,
    OpenApiParameter.HEADER,
    description=(
        "Optional; a fresh random value (a UUID) per draw, sent again unchanged when retrying "
        "it. For 24 hours the same key from the same client (the signed-in user, else the "
        "client address) answers the first draw's status and body and draws nothing more; the "
        "same key with a different body is a 422 (`idempotency_key_reused`). Up to "
        f"{IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters, no spaces."
    ),
)


def _idempotency_key(request) -> str | None:
    key = request.headers.get(IDEMPOTENCY_KEY_HEADER)
    if key is not None and not IDEMPOTENCY_KEY_PATTERN.fullmatch(key):
        raise exceptions.ValidationError(
            {
                IDEMPOTENCY_KEY_HEADER: [
                    gettext("Use 1 to %(limit)s printable ASCII characters without spaces.")
                    % {"limit": IDEMPOTENCY_KEY_MAX_LENGTH}
                ]
            }
        )
    return key


READING_EXAMPLE_REQUEST = OpenApiExample(
    "three cards",
    value={
        "spread": "three-card-past-present-future",
        "question": "올해 나는 어떤 길을 걷게 될까요?",
        "allow_reversed": True,
    },
    request_only=True,
)


# --- Views ------------------------------------------------------------------------------------


class ReadingCollectionApi(ApiGenericView):
    throttle_scope = "reading_create"

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.request.method == "POST":
            throttles.append(ScopedRateThrottle())
        return throttles

    @extend_schema(
        operation_id="readings_list",
        summary="My readings, newest first",
        tags=["readings"],
        responses=OwnReadingSerializer(many=True),
    )
    def get(self, request):
        query = validate_query(NoQuery, request, paginator=self.paginator)

        def build() -> RenderedPayload:
            readings = self.paginate_queryset(reading_list_rows(user=request.user))
            context = {"request": request}
            drawn = _drawn_contents(request, readings)
            own = OwnReadingFieldsSerializer(readings, many=True, context=context).data
            data = [
                {**drawn[reading.pk], **own_fields}
                for reading, own_fields in zip(readings, own, strict=True)
            ]
            return payload_render(self.get_paginated_response(data).data)

        # A journal is read far more often than written: the whole page, rendered, until the
        # user's readings or the deck change.
        payload = journal_cached(
            user_id=request.user.pk,
            key=cache_key(request, "journal", request.user.pk, *query.normalised),
            build=build,
            timeout=JOURNAL_PAGE_CACHE_TIMEOUT,
        )
        return private_no_store(HttpResponse(payload.body, content_type="application/json"))

    @extend_schema(
        operation_id="readings_create",
        summary="Draw a reading",
        description=(
            "Draws the spread's cards. Signed in: the reading goes into the journal. Anonymous: "
            "nothing is kept for you; the answer carries a share token, the only way back to it, "
            f"and the reading is deleted {ANONYMOUS_READING_RETENTION.days} days after the draw."
        ),
        tags=["readings"],
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        request=ReadingCreateSerializer,
        responses={
            201: OwnReadingSerializer,
            422: OpenApiResponse(
                ErrorSerializer,
                description="The Idempotency-Key was already used for a different draw.",
            ),
        },
        examples=[READING_EXAMPLE_REQUEST],
    )
    def post(self, request):
        key = _idempotency_key(request)
        serializer = ReadingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        spread = spread_for_drawing(slug=values["spread"])
        if spread is None:
            raise exceptions.ValidationError({"spread": [gettext("Unknown spread.")]})
        user = request.user if request.user.is_authenticated else None
        draw = {
            "user": user,
            "spread": spread,
            "question": values["question"],
            "allow_reversed": values["allow_reversed"],
        }
        if key is None:
            reading = reading_create(**draw)
        else:
            reading = reading_create_once(client=client_identity(request), key=key, **draw)
        if user is None:
            location = reverse("api:shared-reading", kwargs={"token": reading.share_token})
        else:
            location = reverse("api:reading-detail", kwargs={"reading_id": reading.pk})
        response = _own_reading_response(request, reading, status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(location)
        return response


class ReadingDetailApi(ApiView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="readings_retrieve",
        summary="One of my readings",
        tags=["readings"],
        responses=OwnReadingSerializer,
    )
    def get(self, request, reading_id: int):
        return _own_reading_response(request, _own_reading_or_404(request, reading_id))

    @extend_schema(
        operation_id="readings_notes_update",
        summary="Write the reading's journal notes",
        tags=["readings"],
        request=ReadingNotesSerializer,
        responses=OwnReadingSerializer,
        examples=[
            OpenApiExample(
                "notes", value={"notes": "첫 번째 카드가 마음에 남는다."}, request_only=True
            )
        ],
    )
    def patch(self, request, reading_id: int):
        reading = _own_reading_or_404(request, reading_id)
        serializer = ReadingNotesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notes = serializer.validated_data.get("notes")
        if notes is not None:
            reading = reading_update_notes(reading=reading, notes=notes)
        return _own_reading_response(request, reading)

    @extend_schema(
        operation_id="readings_destroy",
        summary="Delete one of my readings",
        tags=["readings"],
        responses={204: None},
    )
    def delete(self, request, reading_id: int):
        reading_delete(reading=_own_reading_or_404(request, reading_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReadingShareApi(ApiView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="readings_share_create",
        summary="Share a reading by link",
        description="Idempotent: a reading already shared keeps its link.",
        tags=["readings"],
        request=None,
        responses=OwnReadingSerializer,
    )
    def post(self, request, reading_id: int):
        reading = reading_share(reading=_own_reading_or_404(request, reading_id))
        return _own_reading_response(request, reading)

    @extend_schema(
        operation_id="readings_share_destroy",
        summary="Revoke a reading's share link",
        description="The old link answers 404 from now on. Idempotent.",
        tags=["readings"],
        responses={204: None},
    )
    def delete(self, request, reading_id: int):
        reading_unshare(reading=_own_reading_or_404(request, reading_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SharedReadingApi(ApiView):
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="shared_retrieve",
        summary="A shared reading, by its token",
        description="Without the owner's identity or notes. Revoked links answer 404.",
        tags=["readings"],
        responses=ReadingSerializer,
    )
    def get(self, request, token: str):
        reading = reading_get_shared(token=token)
        if reading is None:
            raise exceptions.NotFound(_("No reading is shared with this link."))
        data = ReadingSerializer(reading, context={"request": request}).data
        # no-store: a revoked link must stop showing the reading at once, caches included.
        return private_no_store(Response(data))


class DailyCardApi(ApiView):
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="daily_card_retrieve",
        summary="Today's card",
        description=(
            "Signed in: the user's own card for their local date (drawn on first view). "
            f"Anonymous: the site-wide card of the day ({settings.TIME_ZONE}), with an ETag."
        ),
        tags=["daily card"],
        parameters=ETAG_PARAMETERS,
        responses={200: DailyCardSerializer, 304: NOT_MODIFIED_RESPONSE},
    )
    def get(self, request):
        validate_query(NoQuery, request)
        if request.user.is_authenticated:
            user = request.user
            daily = daily_card_get_or_create(user=user, on_date=user.local_date())
            view = DailyCardView(daily.date, daily.card, daily.is_reversed, personal=True)
            response = private_no_store(
                Response(DailyCardSerializer(view, context={"request": request}).data)
            )
        else:
            response = self._site_card(request)
        # The same URL answers differently with and without a token.
        patch_vary_headers(response, ("Authorization",))
        return response

    def _site_card(self, request):
        now = timezone.now()
        today = site_today(now)
        day_ends_at = site_day_ends_at(now)
        seconds_left = max(1, int((day_ends_at - now).total_seconds()))

        def build():
            card, is_reversed = site_daily_card(on_date=today)
            view = DailyCardView(today, card, is_reversed, personal=False)
            return DailyCardSerializer(view, context={"request": request}).data

        payload = cached_payload(
            key=cache_key(request, "daily-card", today.isoformat()),
            build=build,
            timeout=seconds_left,
        )
        response = conditional_response(
            request, payload=payload, max_age=min(seconds_left, SITE_DAILY_CARD_MAX_AGE)
        )
        return share(response, until=day_ends_at)


class DailyCardHistoryApi(ApiGenericView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="daily_card_history_list",
        summary="My earlier daily cards, newest first",
        tags=["daily card"],
        responses=DailyCardSerializer(many=True),
    )
    def get(self, request):
        user = request.user
        history = self.paginate_queryset(daily_card_history(user=user, until=user.local_date()))
        views = [DailyCardView(d.date, d.card, d.is_reversed, personal=True) for d in history]
        data = DailyCardSerializer(views, many=True, context={"request": request}).data
        return private_no_store(self.get_paginated_response(data))
