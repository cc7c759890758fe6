"""Throttles whose rates are read from ``settings.API_THROTTLE_RATES`` on each request, and
which keep counting in the process when the shared cache cannot be reached."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from rest_framework import throttling

# While Redis is unreachable every throttle counts here instead of failing open (a miss would
# read as "no request yet", and sign-in and drawing would have no limit). Each process counts
# on its own, so the limit is at most the rate times the number of web processes: degraded,
# never absent.
_process_cache = LocMemCache("throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def _throttle_cache():
    healthy = getattr(shared_cache, "healthy", True)
    return shared_cache if healthy else _process_cache


class _RatesFromSettings:
    """DRF binds its throttle rates once at import; these read them per request instead,
    so an environment (or a test) can change them. The cache is chosen per request too."""

    @property
    def cache(self):
        return _throttle_cache()

    def get_rate(self):
        try:
            return settings.API_THROTTLE_RATES[self.scope]
        except KeyError as error:
            raise ImproperlyConfigured(
                f"API_THROTTLE_RATES has no rate for the {self.scope!r} scope."
            ) from error


class AnonRateThrottle(_RatesFromSettings, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_RatesFromSettings, throttling.UserRateThrottle):
    """Signed-in users, per user. Anonymous clients are left to ``AnonRateThrottle``: DRF's class
    would count them a second time, by address, at the user rate (two more cache round trips
    on every anonymous request for a limit the anon rate already sets)."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class ScopedRateThrottle(_RatesFromSettings, throttling.ScopedRateThrottle):
    """The view's ``throttle_scope`` (``auth``, ``reading_create``), on top of the defaults."""


@dataclass(frozen=True)
class _PageView:
    """What a DRF throttle reads of the view it guards: only the scope."""

    throttle_scope: str


def page_request_wait(request: HttpRequest, *, scope: str) -> float | None:
    """For a page (not an API view): ``None`` when the request is within the scope's rate,
    else the seconds until the next one is allowed.

    The same class, cache keys and ``API_THROTTLE_RATES`` as the API's ``throttle_scope``, so a
    page and its API twin count together: per signed-in user, else per client address as DRF
    reads it (``NUM_PROXIES``).
    """
    throttle = ScopedRateThrottle()
    if throttle.allow_request(request, _PageView(throttle_scope=scope)):
        return None
    return throttle.wait() or 1.0


def client_identity(request: HttpRequest) -> str:
    """Who a request comes from, for anything kept per client: the signed-in user, else the
    client address the throttles count (``NUM_PROXIES`` respected)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"address:{throttling.BaseThrottle().get_ident(request)}"
