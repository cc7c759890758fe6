"""django-redis with a circuit breaker: a Redis that stops answering costs a request its short
socket timeouts a couple of times, then nothing at all until it may be back.

Without it a hung Redis (a stopped process, a black-holed network) makes every cache call wait
its full socket timeout, and a page makes several: seconds per request. After
``FAILURES_TO_OPEN`` failed calls in a row the breaker opens and every call is answered at once
as a failure (a miss, with IGNORE_EXCEPTIONS), counted in ``tarot_cache_calls_skipped_total``;
after ``OPEN_SECONDS`` one call is let through to try Redis again, and a success closes it.

Settings: the cache's ``CIRCUIT_BREAKER`` entry (``FAILURES_TO_OPEN``, ``OPEN_SECONDS``).
"""

import threading
import time
from typing import Any

from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted

from . import metrics


class CacheCircuitOpen(Exception):
    """Why a call was not sent: Redis failed just before and its time-out has not passed."""


class CircuitBreaker:
    def __init__(self, *, failures_to_open: int, open_seconds: float):
        self.failures_to_open = failures_to_open
        self.open_seconds = open_seconds
        self._failures = 0
        self._open_until = 0.0
        self._lock = threading.Lock()

    def allows_a_call(self) -> bool:
        with self._lock:
            if self._failures < self.failures_to_open:
                return True
            if time.monotonic() < self._open_until:
                return False
            # Half-open: this call tries Redis; until it answers the others keep skipping.
            self._open_until = time.monotonic() + self.open_seconds
            return True

    def succeeded(self) -> None:
        with self._lock:
            self._failures = 0

    def failed(self) -> None:
        with self._lock:
            self._failures += 1
            if self._failures >= self.failures_to_open:
                self._open_until = time.monotonic() + self.open_seconds

    @property
    def healthy(self) -> bool:
        """The last call succeeded: what the cache holds can be trusted to be shared."""
        with self._lock:
            return self._failures == 0


class _GuardedClient:
    """The django-redis client, each call going through the breaker."""

    def __init__(self, client, breaker: CircuitBreaker):
        self._client = client
        self._breaker = breaker

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def guarded(*args, **kwargs):
            if not self._breaker.allows_a_call():
                metrics.cache_call_skipped()
                raise ConnectionInterrupted(connection=None) from CacheCircuitOpen()
            try:
                result = attribute(*args, **kwargs)
            except ConnectionInterrupted:
                self._breaker.failed()
                raise
            self._breaker.succeeded()
            return result

        return guarded


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        options = params.get("CIRCUIT_BREAKER", {})
        self.breaker = CircuitBreaker(
            failures_to_open=options.get("FAILURES_TO_OPEN", 2),
            open_seconds=options.get("OPEN_SECONDS", 5.0),
        )

        self._guarded_client: _GuardedClient | None = None

    @property
    def client(self):
        if self._guarded_client is None:
            self._guarded_client = _GuardedClient(super().client, self.breaker)
        return self._guarded_client

    @property
    def healthy(self) -> bool:
        return self.breaker.healthy
