"""The draw form keeps the API's reading_create rate: per signed-in user, else per address."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from readings.models import Reading
from tests.accounts.factories import UserFactory
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_draws_a_minute(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "reading_create": "2/min"}
    cache.clear()


def draw(client, question="올해 나의 일은?", **extra):
    data = {"spread": "single-card", "question": question, "allow_reversed": "on"}
    return client.post(reverse("readings:new"), data, **extra)


def test_the_third_draw_a_minute_from_one_address_is_refused_with_the_question_kept(
    client, seeded_deck, two_draws_a_minute
):
    statuses = [draw(client).status_code for _ in range(2)]
    with translation.override("en"):
        refused = draw(client, question="세 번째 질문")

    assert statuses == [302, 302]
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many draws in a short time" in page
    assert "세 번째 질문" in page
    assert int(refused["Retry-After"]) > 0
    assert Reading.objects.count() == 2


def test_the_site_and_the_api_share_one_count_per_user(client, seeded_deck, two_draws_a_minute):
    user = UserFactory()
    client.force_login(user)
    api = client.post(
        "/api/v1/readings/",
        {"spread": "single-card"},
        content_type="application/json",
        HTTP_AUTHORIZATION=bearer(user),
    )
    site = draw(client)
    refused = draw(client)

    assert (api.status_code, site.status_code, refused.status_code) == (201, 302, 429)
    assert Reading.objects.filter(user=user).count() == 2


def test_each_address_and_each_user_has_its_own_count(client, seeded_deck, two_draws_a_minute):
    for _ in range(2):
        draw(client, REMOTE_ADDR="192.0.2.1")

    assert draw(client, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert draw(client, REMOTE_ADDR="192.0.2.2").status_code == 302
    client.force_login(UserFactory())
    assert draw(client, REMOTE_ADDR="192.0.2.1").status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_counted(
    client, seeded_deck, two_draws_a_minute, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for _ in range(2):
        draw(client, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert draw(client, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert draw(client, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 302
