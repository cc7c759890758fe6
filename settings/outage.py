"""Server errors as a visitor or the app should see them (``handler500`` in settings/urls.py).

A database that cannot be reached is an outage, not a bug: pages answer the styled 503 page
("back soon") and the API its error shape with 503, each with ``Retry-After``, instead of a 500.
Any other uncaught error is a 500, as a page or, under /api/, in the API's error shape.

The error pages are rendered without the request's context: the context processors would
look up the signed-in user, which needs the database that may be the thing that is down.
"""

import sys

from django import db
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from core.api import API_PATH_PREFIX
from core.api.errors import error_payload

DATABASE_UNAVAILABLE = (db.OperationalError, db.InterfaceError)
RETRY_AFTER_SECONDS = 30


def _api_error(*, status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_payload(code=code, message=message), status=status)


def server_error_view(request: HttpRequest) -> HttpResponse:
    """handler500: called while the uncaught exception is being handled."""
    unavailable = isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE)
    if request.path.startswith(API_PATH_PREFIX):
        if unavailable:
            response = _api_error(
                status=503,
                code="service_unavailable",
                message=_("The service is briefly unavailable. Please try again in a moment."),
            )
        else:
            response = _api_error(
                status=500,
                code="server_error",
                message=_("The server could not handle the request."),
            )
    else:
        template = "503.html" if unavailable else "500.html"
        response = HttpResponse(
            loader.get_template(template).render(), status=503 if unavailable else 500
        )
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
