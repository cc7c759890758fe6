"""Request-scoped operations context: the request id that ties logs, Sentry and proxies together."""

import re
import uuid

import sentry_sdk
from django.http import HttpRequest, HttpResponse

from .logging import current_request, current_request_id
from .routers import primary_pin_reset

REQUEST_ID_HEADER = "X-Request-ID"
# The same shape nginx accepts (deploy/nginx): anything else is replaced, never logged as is.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def request_id_for(request: HttpRequest) -> str:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    return incoming if VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Takes a well-formed ``X-Request-ID`` from the proxy (or makes one) and echoes it back.

    The id is on ``request.request_id``, in every log record of the request, on the Sentry event
    and in the response header. Placed first, so every later middleware's logs carry it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_for(request)
        id_token = current_request_id.set(request.request_id)
        request_token = current_request.set(request)
        primary_pin_reset()
        sentry_sdk.get_isolation_scope().set_tag("request_id", request.request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(request_token)
            current_request_id.reset(id_token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response
