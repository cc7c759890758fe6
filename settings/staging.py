"""Staging: production's settings with staging's values (only values differ)."""

from .production import *  # noqa: F403
from .production import env

APP_ENVIRONMENT = env("APP_ENVIRONMENT", default="staging")
