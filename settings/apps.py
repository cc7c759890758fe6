"""The project package as an app, for start-up work that needs the complete settings."""

from django.apps import AppConfig
from django.conf import settings


class OperationsConfig(AppConfig):
    name = "settings"
    label = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        # Here rather than in settings.production: staging changes APP_ENVIRONMENT after
        # production's module has run, and every process (web, worker, beat, commands) passes here.
        if settings.SENTRY_DSN:
            from .sentry import sentry_init

            sentry_init(
                dsn=settings.SENTRY_DSN,
                environment=settings.APP_ENVIRONMENT,
                release=settings.APP_RELEASE,
                traces_sample_rate=settings.SENTRY_TRACES_SAMPLE_RATE,
            )
