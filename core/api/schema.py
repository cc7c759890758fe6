"""The OpenAPI schema class: every operation documents the errors it can answer."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from core.api.errors import ErrorSerializer
from core.api.views import InputSerializer
from core.errors import error_payload

ETAG_PARAMETERS = [
    OpenApiParameter(
        "If-None-Match",
        str,
        OpenApiParameter.HEADER,
        description="An ETag from an earlier answer; 304 with no body when it still matches.",
    ),
    OpenApiParameter(
        "ETag", str, OpenApiParameter.HEADER, response=[200, 304], description="Entity tag."
    ),
    OpenApiParameter(
        "Cache-Control", str, OpenApiParameter.HEADER, response=[200, 304], description="Caching."
    ),
]
NOT_MODIFIED_RESPONSE = OpenApiResponse(description="Not modified: the client's copy is current.")


def _error_example(status_code: int, code: str, message: str, fields=None) -> OpenApiExample:
    return OpenApiExample(
        code,
        value=error_payload(code=code, message=message, fields=fields),
        status_codes=[status_code],
        response_only=True,
    )


ERROR_RESPONSES: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="The input is not valid; `fields` names each parameter or field at fault.",
        examples=[
            _error_example(
                400,
                "invalid",
                "question: At most 500 characters.",
                {"question": ["At most 500 characters."]},
            )
        ],
    ),
    401: OpenApiResponse(
        ErrorSerializer,
        description="Sign-in needed, or the access token is invalid or expired.",
        examples=[
            _error_example(
                401, "not_authenticated", "Authentication credentials were not provided."
            )
        ],
    ),
    404: OpenApiResponse(
        ErrorSerializer,
        description="Not found (also for another user's reading).",
        examples=[_error_example(404, "not_found", "Not found.")],
    ),
    415: OpenApiResponse(
        ErrorSerializer,
        description="The body is not JSON.",
        examples=[
            _error_example(
                415, "unsupported_media_type", 'Unsupported media type "text/plain" in request.'
            )
        ],
    ),
    429: OpenApiResponse(
        ErrorSerializer,
        description="Too many requests; try again after `Retry-After` seconds.",
        examples=[
            _error_example(
                429, "throttled", "Request was throttled. Expected available in 42 seconds."
            )
        ],
    ),
}


class CachedUserJWTScheme(SimpleJWTScheme):
    """The Bearer scheme of simplejwt's JWTAuthentication, for its subclass the API uses."""

    target_class = "accounts.authentication.CachedUserJWTAuthentication"


class ApiAutoSchema(AutoSchema):
    """Documents the errors every operation can answer, and the DELETE bodies that carry a
    confirmation (``request_body_on_delete = True`` on the view)."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        if self.method == "DELETE" and getattr(self.view, "request_body_on_delete", False):
            operation["requestBody"] = self._delete_request_body()
        responses = operation["responses"]
        codes = [401, 429]
        has_query = any(p["in"] == "query" for p in operation.get("parameters", []))
        if "requestBody" in operation or has_query:
            codes.append(400)
        if "requestBody" in operation:
            codes.append(415)
        if "{" in path:
            codes.append(404)
        for code in sorted(codes):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(ERROR_RESPONSES[code], str(code))
        return dict(operation, responses=dict(sorted(responses.items())))

    def _delete_request_body(self):
        serializer = self.get_request_serializer()
        schema, required = self._get_request_for_media_type(serializer)
        return {"content": {"application/json": {"schema": schema}}, "required": required}

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction == "request" and isinstance(serializer, InputSerializer):
            schema["additionalProperties"] = False
        return schema
