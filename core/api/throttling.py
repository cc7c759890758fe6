"""Throttles whose rates are read from ``settings.API_THROTTLE_RATES`` on each request."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework import throttling


class _RatesFromSettings:
    """DRF binds its throttle rates once at import; these read them per request instead,
    so an environment (or a test) can change them."""

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
