import os
import select
import time

import hypothesis
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management.color import no_style
from django.core.servers.basehttp import WSGIRequestHandler
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connection
from django.dispatch import receiver
from django.urls import clear_url_caches
from django.utils import translation

from core import response_cache
from tarot.models import Card, Deck, Spread, SpreadPosition
from tarot.services import deck_seed

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

# The live test server writes a response in several small packets; with Nagle's algorithm on,
# each request then waits for the client's delayed ACK (~40 ms): most of the time of the
# schemathesis and browser tests. A socketserver option, read at every connection.
WSGIRequestHandler.disable_nagle_algorithm = True


def _run_under_libfaketime() -> None:
    """`make test-any-date` runs the suite under libfaketime 0.9.10 with the monotonic clock left
    real (on a faked one Python's lock and event timeouts never return). Its clock_nanosleep()
    then refuses the monotonic deadline Python's time.sleep() passes (EINVAL): sleeps wait in
    select() instead, and child processes (gunicorn, a Celery worker, schemathesis), which
    would fail the same way, run on the real clock."""

    def sleep(seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        select.select([], [], [], seconds)

    time.sleep = sleep
    for name in [name for name in os.environ if name == "LD_PRELOAD" or "FAKETIME" in name]:
        del os.environ[name]


if os.environ.get("FAKETIME"):
    _run_under_libfaketime()

# `make test` is the quick loop; the service run in CI (HYPOTHESIS_PROFILE=thorough) digs deeper.
hypothesis.settings.register_profile("fast", max_examples=15)
hypothesis.settings.register_profile("thorough", max_examples=100)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))


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


SEEDED_MODELS = (Deck, Card, Spread, SpreadPosition)
_seeded_rows: dict[type, list[tuple]] = {}


def _field_names(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _deck_copy_insert() -> None:
    """Insert the rows the first seed wrote, in bulk: a few queries instead of ~250."""
    for model in SEEDED_MODELS:
        names = _field_names(model)
        # from_db() takes the columns positionally, as loaded, so no translated field is
        # repopulated from another on the way back in.
        model.objects.bulk_create(
            model.from_db(DEFAULT_DB_ALIAS, names, row) for row in _seeded_rows[model]
        )
    if connection.vendor == "postgresql":
        # Rows inserted with their ids leave the sequences behind: later inserts would collide.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), SEEDED_MODELS):
                cursor.execute(statement)


@pytest.fixture
def seeded_deck(db):
    """The standard deck. Seeded row by row once per session, then copied from those rows."""
    if _seeded_rows:
        _deck_copy_insert()
    else:
        deck_seed()
        for model in SEEDED_MODELS:
            _seeded_rows[model] = list(model.objects.values_list(*_field_names(model)))
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
