"""Application errors raised by services, and how they are shown: on a page's form, or in the
one error body every error answer carries, ``{"error": {"code", "message", "fields"}}``, from
the API, the outage and lockout answers and the ops endpoints alike."""

from django.http import HttpRequest, JsonResponse

# The API's paths (settings/urls.py): its clients read errors as the error body, never a page.
API_PATH_PREFIX = "/api/"


class ApplicationError(Exception):
    """A domain rule refused the request; ``fields`` names the inputs at fault.

    The message and the field messages reach people as they are, so the raise site passes them
    through ``gettext`` with the literal text (named placeholders for values): makemessages
    extracts them there, and they come out in the language active for the request.
    """

    code = "invalid"
    status_code = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ConflictError(ApplicationError):
    code = "conflict"
    status_code = 409


def form_add_application_error(
    form, error: ApplicationError, *, field_names: dict[str, str] | None = None
) -> None:
    """A page's answer to a service's refusal: each input's messages on the form's field of that
    name (``field_names`` maps the service's names to the form's where they differ), on the form
    as a whole when it has no such field, and the message itself when no input is named."""
    for name, messages in error.fields.items():
        field = (field_names or {}).get(name, name)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    if not error.fields:
        form.add_error(None, error.message)


def error_payload(*, code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PATH_PREFIX)


def error_response(
    *, status: int, code: str, message: str, fields: dict | None = None
) -> JsonResponse:
    """The error body as a plain Django response, for answers given outside DRF."""
    return JsonResponse(error_payload(code=code, message=message, fields=fields), status=status)
