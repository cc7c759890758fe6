"""One version number for all cached deck content (API payloads, page fragments, ETags).

Anything cached from cards or spreads puts ``deck_content_version()`` in its key; when an
editor saves deck content, ``deck_content_changed()`` moves the version on and every old entry
is simply never read again (and expires on its own).
"""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

VERSION_KEY = "deck-content-version"


def deck_content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return version


def deck_content_changed() -> None:
    """Call after any write to decks, cards, spreads or positions."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)
