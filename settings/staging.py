"""Staging: production's settings with staging's values (only values differ)."""

from .production import *  # noqa: F403
from .production import env

APP_ENVIRONMENT = env("APP_ENVIRONMENT", default="staging")
# Testers and app developers read the API docs on staging.
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=True)
