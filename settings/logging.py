"""Log records: one JSON object per line in staging and production, readable lines elsewhere.

Every record carries the request id (``X-Request-ID``, see settings/middleware.py) and the
signed-in user's id, or in a Celery worker the task's id and name and the id of the request that
queued it. Personal data stays out: the request object is never serialised, fields named like
personal data are dropped, and email addresses and phone numbers in messages are masked.

This module is imported by the settings modules, so it must not touch Django's settings or models.
"""

import contextvars
import logging
import re
from typing import Any

from celery import current_task
from django.utils.functional import empty
from pythonjsonlogger.json import JsonFormatter

# Set by RequestIdMiddleware for the duration of one request (per thread and per task).
current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "current_request_id", default=None
)
current_request: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "current_request", default=None
)

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# E.164 as stored (+821012345678) and the domestic Korean mobile form (010-1234-5678).
PHONE_PATTERN = re.compile(r"\+[1-9]\d{7,14}\b|\b01[016789][- ]?\d{3,4}[- ]?\d{4}\b")
PERSONAL_FIELDS = frozenset(
    {"request", "email", "phone", "phone_number", "question", "password", "notes", "user"}
)


def request_user_id(request: Any) -> int | None:
    """The user's id if authentication already ran; a log line must never cause a query."""
    user = getattr(request, "__dict__", {}).get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return getattr(user, "pk", None)


def _celery_task() -> Any:
    task = current_task._get_current_object()
    return task if task is not None and getattr(task, "request", None) is not None else None


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` and ``user_id`` (and ``task_id``/``task_name`` in Celery workers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # django.request logs a response's status after the middleware has finished, passing the
        # request along; other records find it in the context the middleware set.
        request = getattr(record, "request", None) or current_request.get()
        record.request_id = getattr(request, "request_id", None) or current_request_id.get()
        record.user_id = request_user_id(request) if request is not None else None
        task = _celery_task()
        if task is not None and task.request.id:
            record.task_id = task.request.id
            record.task_name = task.name
            # A worker sees the publisher's message headers as request attributes; an eager
            # run (apply) keeps them under ``headers``.
            record.request_id = (
                record.request_id
                or getattr(task.request, "request_id", None)
                or (task.request.headers or {}).get("request_id")
            )
        return True


def redact(text: str) -> str:
    return PHONE_PATTERN.sub("[phone]", EMAIL_PATTERN.sub("[email]", text))


class JsonLogFormatter(JsonFormatter):
    """timestamp, level, logger, message, request_id, user_id, then any safe extra fields."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", True)
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        ordered = {
            "timestamp": log_data.pop("timestamp"),
            "level": log_data.pop("level"),
            "logger": log_data.pop("logger"),
            "message": log_data.pop("message"),
            "request_id": log_data.pop("request_id", None),
            "user_id": log_data.pop("user_id", None),
        }
        for key, value in log_data.items():
            if key not in PERSONAL_FIELDS:
                ordered[key] = value
        return {
            key: redact(value) if isinstance(value, str) else value
            for key, value in ordered.items()
        }


class ReadableFormatter(logging.Formatter):
    """Development lines: time, level, logger, the request id when there is one, message."""

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        record.request_tag = f" [{request_id}]" if request_id else ""
        return super().format(record)


def logging_config(*, json: bool, level: str) -> dict[str, Any]:
    """The LOGGING dict for every environment; ``json`` picks the production format."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_context": {"()": "settings.logging.RequestContextFilter"},
            "count_cache_errors": {"()": "core.metrics.CacheErrorCounter"},
        },
        "formatters": {
            "json": {"()": "settings.logging.JsonLogFormatter"},
            "readable": {
                "()": "settings.logging.ReadableFormatter",
                "format": "{asctime} {levelname} {name}{request_tag}: {message}",
                "style": "{",
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json else "readable",
                "filters": ["request_context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # Each error django-redis ignores (the cache answers a miss) is logged and counted.
            "django_redis.cache": {"filters": ["count_cache_errors"]},
            # Celery's own loggers propagate to the root handler, so workers log in this format.
            "celery": {"level": level},
        },
    }
