"""ASGI entry point; defaults to production settings so a forgotten variable never runs DEBUG."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.production")

application = get_asgi_application()
