"""django-axes hooks: who is signing in, from where, and what a locked-out client is told.

Configured in settings/security.py. The site login, the admin login and the API token endpoint
all authenticate through ``django.contrib.auth.authenticate`` with the request, so axes counts
failures on all three alike.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from core.api import API_PATH_PREFIX
from core.api.errors import error_payload

from .models import UserManager


def username_from_credentials(request: HttpRequest, credentials: dict | None = None) -> str:
    """The email being tried, normalised like account look-ups (lower case, trimmed)."""
    source = credentials
    if not source:
        source = getattr(request, "data", None) or getattr(request, "POST", {})
    if not hasattr(source, "get"):
        return ""
    username = source.get("username") or source.get("email") or ""
    return UserManager.normalize_email(username) if isinstance(username, str) else ""


def client_address(request: HttpRequest) -> str:
    """The client's address, counting the same trusted proxies as the API's throttling."""
    return BaseThrottle().get_ident(request)


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return _(
        "Too many failed sign-in attempts for this account from your network. "
        "Try again in %(minutes)s minutes, or reset your password."
    ) % {"minutes": lockout_minutes()}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """429 with Retry-After: the API's error shape under /api/, a page everywhere else."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith(API_PATH_PREFIX):
        response: HttpResponse = JsonResponse(
            error_payload(code="locked_out", message=lockout_message()), status=429
        )
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"message": lockout_message(), "minutes": lockout_minutes()},
            status=429,
        )
    response["Retry-After"] = retry_after
    response["Cache-Control"] = "private, no-store"
    return response
