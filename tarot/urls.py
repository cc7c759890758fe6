from django.urls import path

from . import views

app_name = "tarot"

urlpatterns = [
    path("cards/", views.card_list_view, name="card-list"),
    path("cards/back.svg", views.card_back_view, name="card-back"),
    path("cards/<slug:slug>/", views.card_detail_view, name="card-detail"),
    path("cards/<slug:slug>/art.svg", views.card_art_view, name="card-art"),
]
