"""The site's URLs plus a view that fails, for the Sentry test."""

import logging

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from settings.urls import urlpatterns as site_urlpatterns

logger = logging.getLogger(__name__)


@csrf_exempt  # the test posts without a form; CSRF is not what it is about
def failing_view(request):
    email = request.POST["email"]
    logger.warning("Looking up %s", email)  # becomes a breadcrumb of the error's event
    raise RuntimeError(f"Lookup failed for {email}")


urlpatterns = [*site_urlpatterns, path("boom/", failing_view)]
