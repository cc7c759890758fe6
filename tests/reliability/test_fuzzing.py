"""Any Unicode a person or a client can send (NUL, right-to-left marks, emoji, 10,000
characters): stored exactly as the service promises, or refused with a clear error naming the
field, never a 500. On PostgreSQL a NUL byte in text is the classic crash; the service run
(`make test-services`) runs these on PostgreSQL."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import user_update_preferences
from core.errors import ApplicationError
from readings.models import NOTES_MAX_LENGTH, QUESTION_MAX_LENGTH, Reading
from readings.services import reading_create, reading_update_notes
from tests.accounts.factories import UserFactory
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

TRICKY = st.sampled_from(
    [
        "\x00",
        "\u202e",  # right-to-left override
        "\u200f",  # right-to-left mark
        "\u200b",  # zero-width space
        "\ufeff",  # byte order mark
        "مرحبا بالعالم",
        "שלום",
        "🔮",
        "👩‍👩‍👧‍👦",
        "🏳️‍🌈",
        "e\u0301",  # a combining accent
        "한글 질문",
        "\r\n",
        "\t",
        "\\",
        "'; DROP TABLE readings_reading; --",
        "<script>alert(1)</script>",
        "{{ request }}",
        "%(name)s",
    ]
)
LONG = st.sampled_from(
    ["x" * 10_000, "🔮" * 10_000, "가" * QUESTION_MAX_LENGTH, "a" * (QUESTION_MAX_LENGTH + 1)]
)
ANY_TEXT = st.one_of(
    st.lists(st.one_of(st.text(max_size=40), TRICKY), max_size=20).map("".join),
    LONG,
    st.text(max_size=600),
)


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    # Hundreds of requests a minute from one client: the rate limits are not under test here.
    settings.API_THROTTLE_RATES = {scope: "100000/min" for scope in settings.API_THROTTLE_RATES}


# How many examples comes from the Hypothesis profile (tests/conftest.py): fast or thorough.
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def expected_question(text: str) -> str | None:
    """What reading_create promises to store, or None when it must refuse."""
    question = text.strip()
    if len(question) > QUESTION_MAX_LENGTH or "\x00" in question:
        return None
    return question


@FUZZ
@given(text=ANY_TEXT)
def test_reading_create_stores_the_question_exactly_or_refuses_naming_it(three_card_spread, text):
    try:
        reading = reading_create(user=None, spread=three_card_spread, question=text)
    except ApplicationError as error:
        assert expected_question(text) is None
        assert list(error.fields) == ["question"]
        return
    assert expected_question(text) is not None
    stored = Reading.objects.get(pk=reading.pk)
    assert stored.question == text.strip()
    assert stored.drawn_cards.count() == 3


@FUZZ
@given(text=ANY_TEXT)
def test_notes_are_stored_exactly_or_refused_naming_them(three_card_spread, text):
    reading = reading_create(user=None, spread=three_card_spread)
    try:
        reading_update_notes(reading=reading, notes=text)
    except ApplicationError as error:
        assert len(text) > NOTES_MAX_LENGTH or "\x00" in text
        assert list(error.fields) == ["notes"]
        return
    assert Reading.objects.get(pk=reading.pk).notes == text


@FUZZ
@given(
    field=st.sampled_from(["display_name", "time_zone", "phone_number"]),
    value=st.one_of(ANY_TEXT, st.sampled_from(["Europe/Paris", "+821012345678", "Ann\x00"])),
)
def test_a_preference_is_saved_exactly_or_refused_naming_it(db, field, value):
    user = UserFactory()
    before = {name: getattr(user, name) for name in ("display_name", "time_zone", "phone_number")}
    try:
        user_update_preferences(user=user, **{field: value})
    except ApplicationError as error:
        assert list(error.fields) == [field]
        stored = User.objects.get(pk=user.pk)
        assert {name: getattr(stored, name) for name in before} == before
        return
    assert getattr(User.objects.get(pk=user.pk), field) == value


# --- The same input through the page forms and the API: 2xx/3xx or a 400 naming the field ---


@FUZZ
@given(text=ANY_TEXT)
def test_the_reading_form_never_fails_on_any_question(client, three_card_spread, text):
    response = client.post(
        reverse("readings:new"),
        {"spread": three_card_spread.slug, "question": text, "allow_reversed": "on"},
    )

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["form"].errors.keys() == {"question"}
    else:
        assert Reading.objects.latest("pk").question == text.strip()


@FUZZ
@given(text=st.one_of(ANY_TEXT, st.just("\ud800 lone surrogate")))
def test_the_reading_api_never_fails_on_any_question(three_card_spread, text):
    # Escaped JSON, as any client library sends it: a lone surrogate survives the encoding.
    response = APIClient().post(
        reverse("api:reading-list"),
        json.dumps({"spread": three_card_spread.slug, "question": text}),
        content_type="application/json",
    )

    assert response.status_code in (201, 400), response.content[:300]
    if response.status_code == 400:
        assert list(response.json()["error"]["fields"]) == ["question"]
    else:
        assert response.json()["question"] == text.strip()


@FUZZ
@given(notes=ANY_TEXT, display_name=ANY_TEXT)
def test_notes_and_profile_over_the_api_never_fail(three_card_spread, notes, display_name):
    user = UserFactory()
    reading = reading_create(user=user, spread=three_card_spread)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=bearer(user))

    notes_response = api.patch(
        reverse("api:reading-detail", kwargs={"reading_id": reading.pk}),
        {"notes": notes},
        format="json",
    )
    me_response = api.patch(reverse("api:me"), {"display_name": display_name}, format="json")

    assert notes_response.status_code in (200, 400)
    assert me_response.status_code in (200, 400)
    if notes_response.status_code == 200:
        assert Reading.objects.get(pk=reading.pk).notes == notes
    else:
        assert list(notes_response.json()["error"]["fields"]) == ["notes"]
    if me_response.status_code == 400:
        assert list(me_response.json()["error"]["fields"]) == ["display_name"]


@FUZZ
@given(notes=ANY_TEXT, display_name=ANY_TEXT)
def test_the_notes_and_preferences_forms_never_fail(client, three_card_spread, notes, display_name):
    user = UserFactory()
    reading = reading_create(user=user, spread=three_card_spread)
    client.force_login(user)

    notes_response = client.post(
        reverse("readings:notes", kwargs={"pk": reading.pk}), {"notes": notes}
    )
    preferences_response = client.post(
        reverse("accounts:preferences"),
        {
            "display_name": display_name,
            "language": "ko",
            "time_zone": "Asia/Seoul",
            "notification_time": "08:00",
            "notification_channel": "email",
        },
    )

    assert notes_response.status_code in (302, 400)
    assert preferences_response.status_code in (200, 302)
    if notes_response.status_code == 302:
        assert Reading.objects.get(pk=reading.pk).notes == notes


@pytest.mark.parametrize(
    "path",
    [
        "/s/%00/",
        "/s/a%00b/",
        "/api/v1/shared/%00/",
        "/cards/?q=%00",
        "/cards/?suit=%00",
        "/en/cards/?q=a%00b",
        "/cards/%00/",
        "/api/v1/cards/?search=%00",
        "/api/v1/cards/?suit=%00",
        "/api/v1/spreads/%00/",
        "/readings/new/?spread=%00",
        "/daily/?page=%00",
        "/accounts/password-reset/%00/%00/",
    ],
)
def test_a_nul_byte_in_a_url_is_never_a_server_error(seeded_deck, path):
    response = Client(raise_request_exception=False).get(path)

    assert response.status_code < 500, response.status_code
