"""Strict page-number pagination: a bad page or page size is a 400 naming the parameter."""

from urllib.parse import urlencode

from django.core.paginator import InvalidPage
from django.utils.translation import gettext
from rest_framework import exceptions, pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 100); a bad value is a 400 naming the parameter."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    # The normalised query parameters but the page (core.api.views.validate_query): links built
    # from them are the same for every spelling of a query, so its cached payload is too.
    link_query: tuple[tuple[str, str], ...] | None = None

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        gettext("Must be a whole number from 1 to %(max)d.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_page_number_checked(self, request) -> int:
        raw = request.query_params.get(self.page_query_param, "1")
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise exceptions.ValidationError(
                {self.page_query_param: [gettext("Must be a whole number from 1.")]}
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        number = self.get_page_number_checked(request)
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(number)
        except InvalidPage as error:
            raise exceptions.ValidationError(
                {
                    self.page_query_param: [
                        gettext("Page %(page)s does not exist; there are %(count)d pages.")
                        % {"page": number, "count": paginator.num_pages}
                    ]
                }
            ) from error
        return list(self.page)

    def get_next_link(self):
        if self.link_query is None or not self.page.has_next():
            return super().get_next_link()
        return self._link_to(self.page.next_page_number())

    def get_previous_link(self):
        if self.link_query is None or not self.page.has_previous():
            return super().get_previous_link()
        return self._link_to(self.page.previous_page_number())

    def _link_to(self, number: int) -> str:
        query = [*self.link_query, *([(self.page_query_param, str(number))] if number > 1 else [])]
        url = self.request.build_absolute_uri(self.request.path)
        return f"{url}?{urlencode(sorted(query))}" if query else url

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
