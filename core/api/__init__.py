"""Plumbing shared by every endpoint of the mobile API (``/api/v1/``).

- the one error shape, ``{"error": {"code", "message", "fields"}}``, for every 4xx: DRF's
  validation, authentication, permission, throttling, parse, 404 and 405 errors and the
  services' ``core.errors.ApplicationError``;
- the content language, taken from ``Accept-Language`` only (Django's LocaleMiddleware pins
  un-prefixed paths to ``LANGUAGE_CODE`` because the pages use ``prefix_default_language=False``);
- strict JSON input (unknown fields and wrong JSON types are refused), strict pagination;
- throttles whose rates are read from ``settings.API_THROTTLE_RATES`` on each request;
- ETag / ``If-None-Match`` answers and payloads cached per language and deck content version;
- the OpenAPI schema class that documents every error response.
"""

# Everything under it answers in the API's error shape, even when no API view ran (a lockout, a
# server error): the versioned endpoints and the /api/health and /api/ready probes.
API_PATH_PREFIX = "/api/"
