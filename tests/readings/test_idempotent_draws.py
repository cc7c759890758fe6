"""One draw per Idempotency-Key (API) or per draw form (its one-time token), per client."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from readings.models import Reading, ReadingIdempotencyKey
from readings.tasks import anonymous_readings_purge_task
from tests.accounts.factories import UserFactory
from tests.api.conftest import bearer, error_of

pytestmark = pytest.mark.django_db

DRAW = {"spread": "single-card", "question": "이 일은 잘 풀릴까요?"}
# Just before midnight in Seoul on a leap day, so "24 hours" cannot be mistaken for "today".
NOW = datetime.datetime(2028, 2, 29, 14, 59, 59, 500_000, tzinfo=datetime.UTC)


def api_draw(client, body=DRAW, key="draw-7f3a", **headers):
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post("/api/v1/readings/", body, content_type="application/json", **headers)


class TestApi:
    def test_the_same_key_twice_answers_the_first_draw_and_draws_once(
        self, client, single_card_spread
    ):
        first = api_draw(client)
        second = api_draw(client)

        assert (first.status_code, second.status_code) == (201, 201)
        assert second.json() == first.json()
        assert second["Location"] == first["Location"]
        assert Reading.objects.count() == 1
        assert ReadingIdempotencyKey.objects.get().reading == Reading.objects.get()

    def test_a_signed_in_users_repeat_answers_the_same_reading_id(self, client, single_card_spread):
        user = UserFactory()
        first = api_draw(client, HTTP_AUTHORIZATION=bearer(user))
        second = api_draw(client, HTTP_AUTHORIZATION=bearer(user))

        assert second.json()["id"] == first.json()["id"]
        assert Reading.objects.filter(user=user).count() == 1

    def test_the_same_key_with_another_body_is_refused_naming_the_key(
        self, client, single_card_spread
    ):
        api_draw(client)
        with translation.override("en"):
            refused = api_draw(client, {**DRAW, "question": "다른 질문"}, HTTP_ACCEPT_LANGUAGE="en")

        assert refused.status_code == 422
        error = error_of(refused)
        assert error["code"] == "idempotency_key_reused"
        assert "draw-7f3a" in error["message"]
        assert list(error["fields"]) == ["Idempotency-Key"]
        assert Reading.objects.count() == 1

    def test_each_client_has_its_own_keys(self, client, single_card_spread):
        api_draw(client, REMOTE_ADDR="192.0.2.1")
        api_draw(client, REMOTE_ADDR="192.0.2.2")
        api_draw(client, HTTP_AUTHORIZATION=bearer(UserFactory()), REMOTE_ADDR="192.0.2.1")

        assert Reading.objects.count() == 3

    def test_a_key_older_than_24_hours_draws_again(self, client, single_card_spread):
        with time_machine.travel(NOW, tick=False):
            first = api_draw(client)
        with time_machine.travel(NOW + datetime.timedelta(hours=24), tick=False):
            within = api_draw(client)
        with time_machine.travel(NOW + datetime.timedelta(hours=24, microseconds=1), tick=False):
            after = api_draw(client)

        assert within.json()["id"] == first.json()["id"]
        assert after.status_code == 201
        assert Reading.objects.count() == 2
        assert ReadingIdempotencyKey.objects.get().reading_id == Reading.objects.latest("pk").pk

    def test_keys_past_24_hours_are_purged_by_the_daily_task(self, client, single_card_spread):
        with time_machine.travel(NOW, tick=False):
            api_draw(client, key="old")
        with time_machine.travel(NOW + datetime.timedelta(hours=23), tick=False):
            api_draw(client, key="recent")
        with time_machine.travel(NOW + datetime.timedelta(hours=24, seconds=1), tick=False):
            result = anonymous_readings_purge_task.apply().get()

        assert result["idempotency_keys_deleted"] == 1
        assert list(ReadingIdempotencyKey.objects.values_list("key", flat=True)) == ["recent"]
        assert Reading.objects.count() == 2

    def test_without_a_key_every_post_draws(self, client, single_card_spread):
        api_draw(client, key=None)
        api_draw(client, key=None)

        assert Reading.objects.count() == 2
        assert not ReadingIdempotencyKey.objects.exists()

    @pytest.mark.parametrize("key", ["", "x" * 256, "tab\tinside"])
    def test_an_unusable_key_is_a_400_and_draws_nothing(self, client, single_card_spread, key):
        response = api_draw(client, key=key)

        assert response.status_code == 400
        assert list(error_of(response)["fields"]) == ["Idempotency-Key"]
        assert not Reading.objects.exists()

    def test_a_repeat_reads_a_fixed_number_of_queries(
        self, client, celtic_cross, django_assert_num_queries
    ):
        api_draw(client, {"spread": "celtic-cross"})

        # The key with its reading, spread and deck; the drawn cards with card and position.
        with django_assert_num_queries(2):
            api_draw(client, {"spread": "celtic-cross"})

    def test_the_schema_documents_the_header(self, client):
        schema = client.get("/api/v1/schema/?format=json").json()
        parameters = schema["paths"]["/api/v1/readings/"]["post"]["parameters"]

        assert {"name": "Idempotency-Key", "in": "header"}.items() <= parameters[0].items()
        assert "422" in schema["paths"]["/api/v1/readings/"]["post"]["responses"]


def draw_token(page) -> str:
    return re.search(r'name="draw_token" value="([^"]+)"', page.content.decode()).group(1)


class TestDrawForm:
    def form_data(self, client) -> dict:
        token = draw_token(client.get(reverse("readings:new")))
        return {**DRAW, "allow_reversed": "on", "draw_token": token}

    def test_a_resubmitted_form_goes_to_the_first_reading(self, client, single_card_spread):
        data = self.form_data(client)
        first = client.post(reverse("readings:new"), data)
        again = client.post(reverse("readings:new"), data)

        reading = Reading.objects.get()
        assert first.url == again.url == f"/s/{reading.share_token}/?drawn=1"

    def test_a_signed_in_resubmit_goes_to_the_first_reading(self, client, single_card_spread):
        user = UserFactory()
        client.force_login(user)
        data = self.form_data(client)
        first = client.post(reverse("readings:new"), data)
        again = client.post(reverse("readings:new"), data)

        reading = Reading.objects.get(user=user)
        assert first.url == again.url == f"/readings/{reading.pk}/?drawn=1"

    def test_every_form_page_has_its_own_token(self, client, single_card_spread):
        first, second = self.form_data(client), self.form_data(client)
        client.post(reverse("readings:new"), first)
        client.post(reverse("readings:new"), second)

        assert first["draw_token"] != second["draw_token"]
        assert Reading.objects.count() == 2

    def test_a_used_form_changed_before_resubmitting_asks_to_draw_again(
        self, client, single_card_spread
    ):
        data = self.form_data(client)
        client.post(reverse("readings:new"), data)
        with translation.override("en"):
            changed = client.post(reverse("readings:new"), {**data, "question": "다른 질문"})

        assert changed.status_code == 409
        page = changed.content.decode()
        assert "This form was already used for a draw" in page
        assert "다른 질문" in page
        assert draw_token(changed) != data["draw_token"]
        assert Reading.objects.count() == 1
