"""A user's journal as the API lists it, cached per page until the user's readings change.

Every write to a user's readings goes through readings/services.py, which moves the user's
journal version on after the commit (``journal_changed``); a cached page is kept with the journal
and deck content versions it was built for, so a new reading, a note, a share link, a deletion
or an editor's save of the deck is seen on the very next request. Pages are kept per release
(``core.caching.release_key``); the versions are shared by every release.
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

from core.caching import release_key, unwritten_moves_write, version_get, version_move_on
from tarot.cache import VERSION_KEY

Value = TypeVar("Value")
# One key per user who opened the journal, so it expires a day after it was made rather than
# piling up; a new one is then made up and the user's pages are built once more.
JOURNAL_VERSION_TIMEOUT = 24 * 60 * 60


def _journal_version_key(user_id: int) -> str:
    return f"journal-version:{user_id}"


def journal_changed(*, user_id: int) -> None:
    """Call inside the transaction that writes the user's readings: acts once it commits."""
    transaction.on_commit(
        lambda: version_move_on(_journal_version_key(user_id), timeout=JOURNAL_VERSION_TIMEOUT)
    )


def journal_cached(*, user_id: int, key: str, build: Callable[[], Value], timeout: int) -> Value:
    """``build()``'s value for the user's current journal and deck content: one cache round
    trip when it is there. The versions are read before building, so a page built while a write
    was committing is kept under the older version and built again on the next request."""
    journal_key = _journal_version_key(user_id)
    unwritten_moves_write()
    key = release_key(key)
    found = cache.get_many([VERSION_KEY, journal_key, key])
    versions = (
        found.get(VERSION_KEY) or version_get(VERSION_KEY),
        found.get(journal_key) or version_get(journal_key, timeout=JOURNAL_VERSION_TIMEOUT),
    )
    entry = found.get(key)
    if entry is not None and entry[0] == versions:
        return entry[1]
    value = build()
    if None not in versions:
        cache.set(key, (versions, value), timeout)
    return value
