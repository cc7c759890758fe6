"""Whole responses for anonymous visitors, kept in each worker's memory.

The deck's pages and the API's deck content are the same for every anonymous visitor in one
language, and they are most of the traffic. A view says so with ``share(response)``; this
middleware then keeps that response (status, headers, body) in the worker's memory and answers
the next anonymous GET of the same URL, scheme, host and language from it, before sessions,
CSRF, authentication, throttling, URL resolution and the view run.

Correctness:
- An entry is valid for one ``shared_content_version()`` and until its own deadline (``until``:
  the card of the day changes at midnight), and never longer than ``RESPONSE_CACHE_TIMEOUT``.
  A worker reads the version from Redis at most every ``VERSION_TRUST_SECONDS`` (a quarter of a
  second) rather than on every request: an editor's save is seen at once by the worker that
  made it and within that quarter second by every other worker of every pod.
- The version is read before the view runs, so a response built while an editor's save was
  committing is kept under the older version and never served after the save. A worker only
  reads it for URLs it has already seen shared, so other requests (static files, personal
  pages) never pay for it: the first shared response of a URL is remembered, the second is kept.
- Only requests that cannot be personal take part: GET, without an ``Authorization`` header and
  without the session or messages cookie. Only responses that cannot be personal are kept:
  200, not streamed, no cookie set, not private, no CSP nonce, varying on nothing but
  ``Accept-Language``, ``Authorization`` and ``Cookie``. A view that reads any other cookie or
  header must not share its responses.
- Query strings: an answer is kept only for a request that wrote its query exactly the one way
  the view normalised it (``share(query=...)``: sorted, no empty or default value, no unknown
  parameter), and looked up with the parameters sorted; a request naming a parameter twice is
  neither. Any other spelling runs the view and is not kept, so made-up parameters and values
  cannot fill the memory with copies of one answer.
- Cached answers skip the API's anonymous throttle: answering one costs less than the throttle's
  own two cache round trips. Per-address limits for them are the proxy's (nginx ``limit_req``,
  the ingress's rate limit); everything that does work (readings, sign-in, searches, personal
  data) is still throttled here.

Memory: at most ``RESPONSE_CACHE_MAX_BYTES`` of bodies per worker, least recently used first out.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import urlencode

from core import metrics
from core.api.views import language_from_accept_header
from core.caching import shared_content_version, shared_content_version_moved

SHARED_ATTRIBUTE = "shared"
# How long a worker answers with the deck content version it last read: one Redis GET per worker
# every quarter second instead of one per request (the largest part of answering from memory).
VERSION_TRUST_SECONDS = 0.25
# Headers whose variation the key already covers: the language is in the key, and requests with
# a token or a cookie that can change a page (session, messages) never take part.
VARY_COVERED = frozenset({"accept-language", "authorization", "cookie"})


@dataclass(frozen=True)
class Shared:
    until: float  # time.time() after which the answer is not served
    query: tuple[tuple[str, str], ...]  # the normalised query parameters it answers


def share(
    response: HttpResponseBase,
    *,
    until: datetime | None = None,
    query: tuple[tuple[str, str], ...] = (),
) -> HttpResponseBase:
    """Marks ``response`` as the same for every anonymous visitor asking for this URL in this
    language, for the current deck content version and, if given, until ``until``.

    ``query`` is what the answer depends on in the query string, normalised from the values the
    view accepted: ``(name, value)`` pairs sorted by name, without empty or default values. The
    view must not share an answer to parameters it refused.
    """
    until_timestamp = until.timestamp() if until else float("inf")
    setattr(response, SHARED_ATTRIBUTE, Shared(until_timestamp, query))
    return response


AnyResponse = TypeVar("AnyResponse", bound=HttpResponseBase)


def private_no_store(response: AnyResponse) -> AnyResponse:
    """Personal data: never kept by this cache, shared caches or the device's HTTP cache."""
    patch_cache_control(response, private=True, no_store=True)
    return response


@dataclass(frozen=True)
class Entry:
    version: object  # the deck content version the response was built for
    expires: float  # time.time() after which it is not served
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str | None


# A URL seen shared once, not yet kept (the version was not read before its view ran).
SEEN = object()


class ResponseStore:
    """A thread-safe least-recently-used map of keys to entries, bounded by body bytes."""

    def __init__(self) -> None:
        self._entries: OrderedDict[str, Entry | object] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Entry | object | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry | object, *, max_bytes: int, max_entries: int) -> None:
        size = len(entry.body) if isinstance(entry, Entry) else 0
        if size > max_bytes:
            return
        with self._lock:
            self._bytes += size - self._size_of(self._entries.pop(key, None))
            self._entries[key] = entry
            while self._bytes > max_bytes or len(self._entries) > max_entries:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= self._size_of(evicted)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    @staticmethod
    def _size_of(entry: Entry | object | None) -> int:
        return len(entry.body) if isinstance(entry, Entry) else 0


store = ResponseStore()


class TrustedVersion:
    """The deck content version as this worker last read it, for ``VERSION_TRUST_SECONDS``."""

    def __init__(self) -> None:
        self._read: tuple[object, float] = (None, float("-inf"))

    def get(self) -> object:
        version, read_at = self._read
        now = time.time()
        # A clock set back must not make an old read look fresh for longer.
        if version is not None and 0 <= now - read_at < VERSION_TRUST_SECONDS:
            return version
        version = shared_content_version()
        self._read = (version, now)
        return version

    def forget(self) -> None:
        self._read = (None, float("-inf"))


trusted_version = TrustedVersion()


@receiver(shared_content_version_moved, dispatch_uid="core.response_cache.version_moved")
def _version_moved_here(**kwargs) -> None:
    trusted_version.forget()


def _may_take_part(request: HttpRequest) -> bool:
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies


def _query_of(request: HttpRequest) -> tuple[tuple[str, str], ...] | None:
    """The query's parameters in the order written; None when one is given twice."""
    pairs = []
    for name, values in request.GET.lists():
        if len(values) > 1:
            return None
        pairs.append((name, values[0]))
    return tuple(pairs)


def _key(request: HttpRequest, query: tuple[tuple[str, str], ...]) -> str:
    return "|".join(
        (
            request.scheme,
            request.get_host(),
            request.path,
            urlencode(sorted(query)),
            language_from_accept_header(request),
        )
    )


def _keepable(
    request: HttpRequest, query: tuple[tuple[str, str], ...], response: HttpResponseBase
) -> bool:
    shared = getattr(response, SHARED_ATTRIBUTE, None)
    if shared is None or shared.query != query:
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    if "nonce-" in response.get("Content-Security-Policy", ""):
        return False
    vary = {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}
    if not vary <= VARY_COVERED:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _entry_of(response: HttpResponse, version: object) -> Entry:
    expires = min(
        getattr(response, SHARED_ATTRIBUTE).until, time.time() + settings.RESPONSE_CACHE_TIMEOUT
    )
    return Entry(
        version=version,
        expires=expires,
        status=response.status_code,
        headers=tuple(response.items()),
        body=response.content,
        etag=response.get("ETag"),
    )


def _response_of(request: HttpRequest, entry: Entry) -> HttpResponse:
    response = HttpResponse(entry.body, status=entry.status)
    for name, value in entry.headers:
        response.headers[name] = value
    if entry.etag:
        return get_conditional_response(request, etag=entry.etag, response=response)
    return response


class ResponseCacheMiddleware:
    """Answers anonymous GETs from the worker's kept responses; keeps the shared ones.

    Placed after SecurityMiddleware (its HTTPS redirect and headers apply to every answer) and
    before everything a kept response no longer needs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        max_bytes = settings.RESPONSE_CACHE_MAX_BYTES
        query = _query_of(request)
        if not max_bytes or query is None or not _may_take_part(request):
            return self.get_response(request)
        key = _key(request, query)
        entry = store.get(key)
        version = trusted_version.get() if entry is not None else None
        if (
            isinstance(entry, Entry)
            and version is not None
            and entry.version == version
            and time.time() < entry.expires
        ):
            metrics.response_cache_used(hit=True)
            return _response_of(request, entry)
        response = self.get_response(request)
        if _keepable(request, query, response):
            metrics.response_cache_used(hit=False)
            kept = _entry_of(response, version) if version is not None else SEEN
            store.put(
                key, kept, max_bytes=max_bytes, max_entries=settings.RESPONSE_CACHE_MAX_ENTRIES
            )
        return response
