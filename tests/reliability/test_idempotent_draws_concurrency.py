"""Simultaneous repeats of one draw on PostgreSQL: the same Idempotency-Key or the same draw
form, sent at once, draws one reading and every answer points at it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from readings.models import DrawnCard, Reading, ReadingIdempotencyKey
from tests.accounts.factories import UserFactory
from tests.api.conftest import bearer
from tests.concurrency import errors_of, run_at_once

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BODY = {"spread": "three-card-past-present-future", "question": "이직해도 될까요?"}


@pytest.fixture(autouse=True)
def _middleware_loaded(seeded_deck):
    """Each test client loads the middleware on its first request, and the metrics middleware
    registers its metrics once per process: threads doing that together collide (a test
    artefact; a server loads the middleware before it serves)."""
    Client().get("/api/v1/spreads/")


def test_eight_api_draws_with_one_key_at_once_draw_one_reading(postgresql, seeded_deck):
    user = UserFactory()
    authorization = bearer(user)

    def post(index: int):
        return Client().post(
            "/api/v1/readings/",
            BODY,
            content_type="application/json",
            HTTP_AUTHORIZATION=authorization,
            HTTP_IDEMPOTENCY_KEY="9b6c2f1e-retry",
        )

    responses = run_at_once(post, 8)

    assert not errors_of(responses), responses
    assert {response.status_code for response in responses} == {201}
    reading = Reading.objects.get(user=user)
    assert {response.json()["id"] for response in responses} == {reading.pk}
    assert DrawnCard.objects.filter(reading=reading).count() == 3
    assert ReadingIdempotencyKey.objects.get().reading == reading


def test_eight_anonymous_api_draws_with_one_key_at_once_draw_one_reading(postgresql, seeded_deck):
    def post(index: int):
        return Client(REMOTE_ADDR="203.0.113.9").post(
            "/api/v1/readings/",
            BODY,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="anon-retry",
        )

    responses = run_at_once(post, 8)

    assert not errors_of(responses), responses
    reading = Reading.objects.get()
    assert {response.json()["share_token"] for response in responses} == {reading.share_token}


def test_one_form_submitted_five_times_at_once_draws_one_reading(postgresql, seeded_deck):
    user = UserFactory()
    browser = Client()
    browser.force_login(user)
    page = browser.get(reverse("readings:new")).content.decode()
    token = re.search(r'name="draw_token" value="([^"]+)"', page).group(1)
    data = {**BODY, "allow_reversed": "on", "draw_token": token}

    def submit(index: int):
        return browser.post(reverse("readings:new"), data)

    responses = run_at_once(submit, 5)

    assert not errors_of(responses), responses
    reading = Reading.objects.get(user=user)
    assert {response.status_code for response in responses} == {302}
    assert {response.url for response in responses} == {f"/readings/{reading.pk}/?drawn=1"}
