"""The versioned-cache protocol: a version number under a key, and entries stored with the
version they were built for. Moving the version on makes every older entry unreadable at once
(they expire on their own); nothing is ever searched for and deleted.

One version is shared by everything anonymous visitors are shown alike (the deck's cards and
spreads today): ``shared_content_version()``. The response cache (core/response_cache.py) keeps
whole answers for it; the app that owns the content moves it on with
``shared_content_version_move_on()`` after every write.

Entries are also kept per release (``release_key``): what one release built (pickled model
instances, rendered payloads and pages) is never read by another. The version numbers are not:
they are plain integers, and an editor's save on a new release's pod must still reach the old
release's pods while a rolling deploy runs both.
"""

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.dispatch import Signal

SHARED_CONTENT_VERSION_KEY = "deck-content-version"
# Sent in the process that moved the shared version on, for what keeps a copy of it there.
shared_content_version_moved = Signal()


def release_key(key: str) -> str:
    """``key`` as this release (``settings.APP_RELEASE``) stores and reads it.

    For entries built by the code: another release may have other fields on its models, other
    serializers and templates, so unpickling or serving what it stored is wrong or fails. After
    a deploy those entries are built again once and the old release's expire on their own. Keys
    that must survive a deploy (sessions, throttle counters, the sign-in lockout, version
    numbers) do not go through here.
    """
    return f"release:{settings.APP_RELEASE}:{key}"


def _fresh_version() -> int:
    # A version made up after the key was lost (an evicted key, a flushed cache) must not equal
    # any version older entries were built for: the clock in nanoseconds only moves forward.
    return time.time_ns()


# Moves that could not be written (Redis unreachable), by key, with their timeout. Entries built
# before the write that needed the move would be read again once Redis is back: the move is
# written first, by the next version read or move in this process that reaches Redis.
_unwritten_moves: dict[str, int | None] = {}
_unwritten_moves_lock = threading.Lock()


def _move_on(key: str, timeout: int | None) -> bool:
    try:
        # incr answers None when django-redis could not reach Redis (IGNORE_EXCEPTIONS).
        return cache.incr(key) is not None
    except ValueError:
        cache.set(key, _fresh_version(), timeout=timeout)
        return True


def unwritten_moves_write() -> None:
    """Write the moves an outage kept back; call before reading versions other than through
    ``version_get`` (one ``get_many`` of a version and its entries, say). Costs nothing when
    there are none."""
    if not _unwritten_moves:
        return
    with _unwritten_moves_lock:
        pending = list(_unwritten_moves.items())
    for key, timeout in pending:
        if not _move_on(key, timeout):
            return
        with _unwritten_moves_lock:
            _unwritten_moves.pop(key, None)


def version_get(key: str, *, timeout: int | None = None) -> int | None:
    """The version stored under ``key``, made up now if there is none (None: cache unreachable).

    A version that expires (``timeout``) is simply made up again: entries stored with the old one
    are never read.
    """
    unwritten_moves_write()
    version = cache.get(key)
    if version is None:
        cache.add(key, _fresh_version(), timeout=timeout)
        version = cache.get(key)
    return version


def version_move_on(key: str, *, timeout: int | None = None) -> None:
    """A new version under ``key``: everything stored with an older one is never read again.

    If Redis cannot be reached the move is kept and written as soon as it can be (see
    ``_unwritten_moves``), so a write made during an outage is not hidden after it.
    """
    unwritten_moves_write()
    if not _move_on(key, timeout):
        with _unwritten_moves_lock:
            _unwritten_moves[key] = timeout


def shared_content_version() -> int | None:
    return version_get(SHARED_CONTENT_VERSION_KEY)


def shared_content_version_move_on() -> None:
    version_move_on(SHARED_CONTENT_VERSION_KEY)
    shared_content_version_moved.send(sender=None)
