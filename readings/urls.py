from django.urls import path

from . import views

app_name = "readings"

urlpatterns = [
    path("daily/", views.daily_view, name="daily"),
    path("journal/", views.journal_view, name="journal"),
    path("readings/new/", views.reading_new_view, name="new"),
    path("readings/<int:pk>/", views.reading_detail_view, name="detail"),
    path("readings/<int:pk>/notes/", views.reading_notes_view, name="notes"),
    path("readings/<int:pk>/share/", views.reading_share_view, name="share"),
    path("readings/<int:pk>/delete/", views.reading_delete_view, name="delete"),
    path("s/<str:token>/", views.shared_view, name="shared"),
]
