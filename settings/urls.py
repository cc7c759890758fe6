from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from readings.views import home_view

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("settings.api_urls")),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]

urlpatterns += i18n_patterns(
    path("", home_view, name="home"),
    path("", include("readings.urls")),
    path("", include("tarot.urls")),
    path("accounts/", include("accounts.urls")),
    prefix_default_language=False,
)

urlpatterns += [
    path(settings.ADMIN_URL, admin.site.urls),
]

# Uploaded card art under runserver (DEBUG only: static() is empty otherwise; nginx serves it).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
