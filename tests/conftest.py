import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.urls import clear_url_caches
from django.utils import translation

from settings import response_cache
from tarot.models import Card, Spread
from tarot.services import deck_seed

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


@receiver(setting_changed)
def _forget_reversed_urls_on_language_change(*, setting, **kwargs):
    # reverse() caches the language prefix per language; one built while a test overrode
    # LANGUAGE_CODE would leave later tests' /en/ URLs without their prefix.
    if setting in ("LANGUAGE_CODE", "LANGUAGES"):
        clear_url_caches()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
    # Browser tests last: they are the slowest, and the fast suite reports first.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def require_service(reason: str) -> None:
    """Skip a test whose service is missing, except in CI where that is a failure."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def postgresql(db):
    """Marks a test that needs PostgreSQL's semantics (real concurrency, strict constraints)."""
    if connection.vendor != "postgresql":
        require_service("the database is not PostgreSQL (set DATABASE_URL)")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    response_cache.store.clear()
    response_cache.trusted_version.forget()
    yield
    cache.clear()
    response_cache.store.clear()
    response_cache.trusted_version.forget()


@pytest.fixture(autouse=True)
def _default_language():
    """Requests activate a language in the test thread; start every test from Korean."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def seeded_deck(db):
    deck_seed()
    from tarot.selectors import deck_get_default

    return deck_get_default()


@pytest.fixture
def three_card_spread(seeded_deck) -> Spread:
    return Spread.objects.get(slug="three-card-past-present-future")


@pytest.fixture
def celtic_cross(seeded_deck) -> Spread:
    return Spread.objects.get(slug="celtic-cross")


@pytest.fixture
def single_card_spread(seeded_deck) -> Spread:
    return Spread.objects.get(slug="single-card")


@pytest.fixture
def published_card_ids(seeded_deck) -> list[int]:
    return list(Card.objects.filter(deck=seeded_deck).values_list("id", flat=True))
