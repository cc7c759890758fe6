"""Sentry error reporting for staging and production (on only when SENTRY_DSN is set).

No personal data leaves the process: ``send_default_pii`` is off (no cookies, IP addresses or
user emails), request bodies (reading questions) and local variables are never attached, and an
event names its user by id only, as the logs do.
"""

import warnings
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.redis import RedisIntegration

from .logging import current_request, redact


def _signed_in_user_id() -> int | None:
    """Unlike a log line, an error report may load the user (once): it is worth the query."""
    request = current_request.get()
    try:
        return getattr(getattr(request, "user", None), "pk", None)
    except Exception:  # the error being reported may be the database's own
        return None


def _user_id_only(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    user_id = _signed_in_user_id()
    event["user"] = {"id": str(user_id)} if user_id is not None else {}
    for exception in event.get("exception", {}).get("values", []):
        if isinstance(exception.get("value"), str):
            exception["value"] = redact(exception["value"])
    return event


def sentry_init(
    *,
    dsn: str,
    environment: str,
    release: str,
    traces_sample_rate: float,
    transport: Any = None,
) -> None:
    with warnings.catch_warnings():
        # sentry-sdk 2.75 prefers its new data_collection option; send_default_pii=False is
        # still honoured and is the documented contract here, so its deprecation notice is muted.
        warnings.filterwarnings(
            "ignore", message=".*send_default_pii.*", category=DeprecationWarning
        )
        _init(
            dsn=dsn,
            environment=environment,
            release=release,
            traces_sample_rate=traces_sample_rate,
            transport=transport,
        )


def _init(*, dsn, environment, release, traces_sample_rate, transport) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=_user_id_only,
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(monitor_beat_tasks=False),
            RedisIntegration(),
        ],
        transport=transport,
    )
