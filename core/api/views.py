"""Base views of the API: the content language from Accept-Language, strict JSON input,
the catch-all 404, the docs permission, conditional GET and cached payloads."""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

# --- Content language -------------------------------------------------------------------------


def language_from_accept_header(request) -> str:
    """The best supported language the client accepts; the site's default otherwise."""
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class ApiViewMixin:
    """Every API view: the ``Accept-Language`` language is active for the request and named in
    the answer; OPTIONS is not offered (the schema is the API's one description)."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head"]

    def initial(self, request, *args, **kwargs):
        translation.activate(language_from_accept_header(request))
        request.LANGUAGE_CODE = translation.get_language()
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ("Accept-Language",))
        return response


class ApiView(ApiViewMixin, APIView):
    pass


# For the views that paginate.
class ApiGenericView(ApiViewMixin, GenericAPIView):
    pass


class ApiNotFoundView(ApiView):
    """Answers every path under /api/v1/ that matches no endpoint, in the error shape."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = ()
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound(self._not_found_message(request.path_info))

    @staticmethod
    def _not_found_message(path: str) -> str:
        if not path.endswith("/"):
            try:
                match = resolve(path + "/")
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "view_class", None) is not ApiNotFoundView:
                return gettext("Not found. Did you mean %(path)s/ (with a trailing slash)?") % {
                    "path": path
                }
        return gettext("Not found.")


# --- Strict input -----------------------------------------------------------------------------

_JSON_TYPES: tuple[tuple[type[serializers.Field], tuple[type, ...], Any], ...] = (
    (serializers.BooleanField, (bool,), _("Must be true or false.")),
    (serializers.IntegerField, (int,), _("Must be an integer.")),
    (serializers.FloatField, (int, float), _("Must be a number.")),
    (serializers.CharField, (str,), _("Must be a string.")),
    (serializers.ChoiceField, (str,), _("Must be a string.")),
    (serializers.TimeField, (str,), _("Must be a string.")),
    (serializers.DateField, (str,), _("Must be a string.")),
)


class InputSerializer(serializers.Serializer):
    """A JSON request body: unknown fields and values of the wrong JSON type are refused.

    DRF alone would silently drop a misspelt field and turn ``123`` into ``"123"`` or ``"yes"``
    into ``True``; a client sending either has a bug it should hear about.
    """

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            return super().to_internal_value(data)
        errors: dict[str, list[str]] = {}
        for name in sorted(set(data) - set(self.fields)):
            errors[name] = [gettext("Unknown field.")]
        for name, field in self.fields.items():
            value = data.get(name)
            if name not in data or field.read_only or (value is None and field.allow_null):
                continue
            for field_class, json_types, message in _JSON_TYPES:
                if isinstance(field, field_class):
                    if not isinstance(value, json_types) or (
                        bool not in json_types and isinstance(value, bool)
                    ):
                        errors[name] = [str(message)]
                    break
        checked = {name: value for name, value in data.items() if name not in errors}
        try:
            values = super().to_internal_value(checked)
        except exceptions.ValidationError as error:
            errors = {**error.detail, **errors}
        if errors:
            raise exceptions.ValidationError(errors)
        return values


@dataclass(frozen=True)
class Query:
    """A GET's query parameters: ``values`` as the serializer validated them, for the view, and
    ``normalised``, the one way of writing them that cache keys are built from."""

    values: dict[str, Any]
    # Sorted by name; a default or empty value is left out, as it answers like no value.
    normalised: tuple[tuple[str, str], ...]


class NoQuery(serializers.Serializer):
    """For the views that take no query parameter but, when they paginate, the page ones."""


def validate_query(
    serializer_class: type[serializers.Serializer], request, *, paginator=None
) -> Query:
    """The view's query parameters, validated: a 400 naming each parameter that is unknown,
    given twice or wrong. With the view's ``paginator``, ``page`` and ``page_size`` are known
    and checked too, and the paginator's links carry the normalised parameters.

    Cached answers are keyed by ``normalised``, never by the raw query string: otherwise every
    made-up parameter or other spelling of the same query would be another cache entry.
    """
    known = set(serializer_class().fields)
    if paginator is not None:
        known |= {paginator.page_query_param, paginator.page_size_query_param}
    errors: dict[str, list[str]] = {}
    for name, values in request.query_params.lists():
        if name not in known:
            errors[name] = [gettext("Unknown parameter.")]
        elif len(values) > 1:
            errors[name] = [gettext("Give this parameter only once.")]
    if errors:
        raise exceptions.ValidationError(errors)
    # A plain dict, not the QueryDict: DRF would read "?suit=" as "no suit given".
    serializer = serializer_class(data=request.query_params.dict())
    serializer.is_valid(raise_exception=True)
    values = dict(serializer.validated_data)
    answering = {
        name: value
        for name, value in values.items()
        if value not in ("", None) and value != serializer.fields[name].default
    }
    if paginator is not None:
        page_size = paginator.get_page_size(request)
        if page_size != paginator.page_size:
            answering[paginator.page_size_query_param] = page_size
        paginator.link_query = _sorted_pairs(answering)
        page = paginator.get_page_number_checked(request)
        if page != 1:
            answering[paginator.page_query_param] = page
    return Query(values=values, normalised=_sorted_pairs(answering))


def _sorted_pairs(values: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((name, str(value)) for name, value in values.items()))


class ApiDocsPermission(BasePermission):
    """The schema and Swagger UI: public unless API_DOCS_PUBLIC is off (production), then staff."""

    def has_permission(self, request, view) -> bool:
        return settings.API_DOCS_PUBLIC or bool(request.user and request.user.is_staff)


# --- Conditional GET and cached payloads ------------------------------------------------------


@dataclass(frozen=True)
class RenderedPayload:
    """A JSON answer rendered once: the bytes DRF's JSONRenderer would send, and their ETag."""

    body: bytes
    etag: str


def payload_render(data: Any) -> RenderedPayload:
    body = JSONRenderer().render(data)
    return RenderedPayload(body, '"' + hashlib.sha256(body).hexdigest()[:40] + '"')


def cache_key(request, name: str, *parts: object) -> str:
    """A key per endpoint, content language, scheme and host (the payloads hold absolute URLs)
    and any further parts, such as a ``Query``'s ``normalised`` parameters (never the raw query
    string, which a client can spell in endless ways)."""
    digest = hashlib.sha256(
        "|".join([request.scheme, request.get_host(), *map(str, parts)]).encode()
    ).hexdigest()[:32]
    return f"api:v1:{name}:{translation.get_language()}:{digest}"


def conditional_response(request, *, payload: RenderedPayload, max_age: int) -> HttpResponse:
    """200 with the payload, or 304 when the client's ``If-None-Match`` already names it.

    Both carry the ETag and ``Cache-Control: public, max-age``; only for content that is the
    same for everybody (in one language), which ``Vary: Accept-Language`` keeps apart.
    """
    response = HttpResponse(payload.body, content_type="application/json")
    response["ETag"] = payload.etag
    patch_cache_control(response, public=True, max_age=max_age)
    return get_conditional_response(request, etag=payload.etag, response=response)
