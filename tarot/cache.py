"""One version number for all cached deck content (API payloads, page fragments, ETags).

Anything cached from cards or spreads is stored with the ``deck_content_version()`` it was built
for (``deck_content_cached``) or puts the version in its key; when an editor saves deck content,
``deck_content_changed()`` moves the version on and every old entry is simply never read again
(and expires on its own). Entries are kept per release (``core.caching.release_key``): a new
release never reads what an older one pickled, while the version stays shared by both.
"""

import hashlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils.translation import get_language

from core.api.views import RenderedPayload, payload_render
from core.caching import (
    SHARED_CONTENT_VERSION_KEY,
    release_key,
    shared_content_version,
    shared_content_version_move_on,
    unwritten_moves_write,
)

logger = logging.getLogger(__name__)

VERSION_KEY = SHARED_CONTENT_VERSION_KEY
# Old versions' fragments are never read again after an editor's save; this bounds their lifetime.
PAGE_FRAGMENT_TIMEOUT = 24 * 60 * 60

Value = TypeVar("Value")


def deck_content_version() -> int:
    """The deck is the content shown alike to every anonymous visitor: its version is the shared
    one the response cache keeps whole answers for."""
    return shared_content_version()


def deck_content_changed() -> None:
    """Call after any write to decks, cards, spreads or positions."""
    shared_content_version_move_on()


def deck_content_cached(*, key: str, build: Callable[[], Value], timeout: int) -> Value:
    """``build()``'s value for the current deck content version: from the cache when the entry
    under ``key`` was built for this version, else built now and stored with it.

    A hit costs one cache round trip (the version and the entry are read together). An entry
    built while an editor's save was committing is stored with the version read before it, so
    it is rebuilt on the next read.
    """
    return deck_content_cached_many(
        keys={key: key}, build=lambda missing: {key: build()}, timeout=timeout
    )[key]


def deck_content_cached_many(
    *,
    keys: dict[str, object],
    build: Callable[[list[object]], dict[object, Value]],
    timeout: int,
) -> dict[object, Value]:
    """Many values at once: ``keys`` maps each cache key to the item it holds; ``build`` gets the
    items whose entries are missing or stale and returns their values by item. One round trip
    when everything is cached, two more (build aside) otherwise."""
    unwritten_moves_write()
    keys = {release_key(key): item for key, item in keys.items()}
    found = cache.get_many([VERSION_KEY, *keys])
    version = found.get(VERSION_KEY)
    if version is None:
        version = deck_content_version()
    values: dict[object, Value] = {}
    missing: list[object] = []
    for key, item in keys.items():
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            values[item] = entry[1]
        else:
            missing.append(item)
    if missing:
        built = build(missing)
        items_to_keys = {item: key for key, item in keys.items()}
        cache.set_many(
            {items_to_keys[item]: (version, value) for item, value in built.items()}, timeout
        )
        values.update(built)
    return values


def deck_content_fragment(name: str, *parts: object, build: Callable[[], Value]) -> Value:
    """A piece of a page built from deck content (rendered HTML, a title), cached per ``name``,
    ``parts``, the active language and the deck content version.

    ``parts`` must name everything else the piece depends on; keep their values bounded (a
    slug, a date, a choice), never free text a visitor typed.
    """
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
    return deck_content_cached(
        key=f"page:{name}:{get_language()}:{digest}", build=build, timeout=PAGE_FRAGMENT_TIMEOUT
    )


def cached_payload(*, key: str, build: Callable[[], Any], timeout: int) -> RenderedPayload:
    """The API payload ``build()`` returns, rendered, for the current deck content version.

    Stored rendered, so a hit costs one cache round trip and neither a database query nor
    serialising or rendering again; an editor's save (``deck_content_changed``) makes it stale.
    """
    return deck_content_cached(key=key, build=lambda: payload_render(build()), timeout=timeout)
