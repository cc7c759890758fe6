"""Strict page-number pagination: a bad page or page size is a 400 naming the parameter."""

from django.core.paginator import InvalidPage
from django.utils.translation import gettext
from rest_framework import exceptions, pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 100); a bad value is a 400 naming the parameter."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

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

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        raw = request.query_params.get(self.page_query_param, "1")
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise exceptions.ValidationError(
                {self.page_query_param: [gettext("Must be a whole number from 1.")]}
            )
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(int(raw))
        except InvalidPage as error:
            raise exceptions.ValidationError(
                {
                    self.page_query_param: [
                        gettext("Page %(page)s does not exist; there are %(count)d pages.")
                        % {"page": raw, "count": paginator.num_pages}
                    ]
                }
            ) from error
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
