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


def _redacted(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(item) for item in value]
    return value


def _without_personal_data(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """The user by id only; email addresses and phone numbers masked everywhere (exception
    messages, log messages and their arguments, breadcrumbs), as in the JSON logs."""
    event = _redacted(event)
    user_id = _signed_in_user_id()
    event["user"] = {"id": str(user_id)} if user_id is not None else {}
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
        sentry_sdk.init(
            dsn=dsn,
            environment=environment,
            release=release,
            traces_sample_rate=traces_sample_rate,
            send_default_pii=False,
            max_request_body_size="never",
            include_local_variables=False,
            before_send=_without_personal_data,
            before_send_transaction=_without_personal_data,
            integrations=[
                DjangoIntegration(),
                CeleryIntegration(monitor_beat_tasks=False),
                RedisIntegration(),
            ],
            transport=transport,
        )
