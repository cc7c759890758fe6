"""DRF's errors and the services' ``ApplicationError`` in the one error shape
(``core.errors.error_payload``), and that shape's serializer for the schema."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.errors import ApplicationError, error_payload


class PayloadTooLarge(exceptions.APIException):
    # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE before any parser sees it.
    status_code = 413
    default_code = "payload_too_large"
    default_detail = _("The request body is too large.")


def _flatten_error_detail(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"field" | "items.0.field": [messages]}``."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat.update(_flatten_error_detail(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, value in enumerate(detail):
            if value:
                flat.update(
                    _flatten_error_detail(value, f"{prefix}.{index}" if prefix else str(index))
                )
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or api_settings.NON_FIELD_ERRORS_KEY: [str(message) for message in messages]}


def _describe(exc: exceptions.APIException) -> tuple[str, str, dict[str, list[str]]]:
    detail = exc.detail
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten_error_detail(detail)
        first_field, first_messages = next(iter(fields.items()))
        message = first_messages[0]
        if first_field != api_settings.NON_FIELD_ERRORS_KEY:
            message = f"{first_field}: {message}"
        return "invalid", message, fields
    if isinstance(detail, dict):
        # simplejwt's token errors: {"detail": ..., "code": ..., "messages": [...]}.
        return str(detail.get("code", exc.default_code)), str(detail.get("detail", "")), {}
    if isinstance(detail, list):
        detail = detail[0] if detail else exc.default_detail
    code = getattr(detail, "code", None) or exc.default_code
    return str(code), str(detail), {}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, answering every handled error in the one error shape (5xx stay 5xx)."""
    if isinstance(exc, ApplicationError):
        set_rollback()
        fields = {
            name: [str(message) for message in messages] for name, messages in exc.fields.items()
        }
        return Response(
            error_payload(code=exc.code, message=exc.message, fields=fields),
            status=exc.status_code,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code, message, fields = _describe(exc)
    response.data = error_payload(code=code, message=message, fields=fields)
    return response


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable: invalid, not_found, throttled, …")
    message = serializers.CharField(help_text="Readable, in the content language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='Input at fault → its messages ("non_field_errors" for the body as a whole).',
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
