from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from readings.views import home_view
from settings.health import DependenciesView, ReadinessView, WorkersHealthView, liveness_view
from settings.metrics import metrics_view

# A database outage answers 503 (a page, or the API's error shape), never a traceback.
handler500 = "settings.outage.server_error_view"

urlpatterns = [
    # Operations endpoints: no language prefix, no HTTPS redirect (SECURE_REDIRECT_EXEMPT).
    path("health", liveness_view, name="health"),
    path("api/health", liveness_view, name="api-health"),
    path("ready", ReadinessView.as_view(), name="ready"),
    path("api/ready", ReadinessView.as_view(), name="api-ready"),
    path("health/workers", WorkersHealthView.as_view(), name="health-workers"),
    path("health/dependencies", DependenciesView.as_view(), name="health-dependencies"),
    path("metrics", metrics_view, name="metrics"),
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
