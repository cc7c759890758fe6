from django.urls import path

from .views import ReferenceApi, reference_json_view

urlpatterns = [
    path("drf/", ReferenceApi.as_view()),
    path("json/", reference_json_view),
]
