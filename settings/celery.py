"""The Celery app, configured from Django settings under the CELERY_ namespace.

Workers and beat take DJANGO_SETTINGS_MODULE from their environment (every file in deploy/ sets
it). Nothing here picks a default: this module is imported with the project package, and an
import must not change which settings a process runs with.
"""

from celery import Celery, signals

app = Celery("tarot")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def _logging_from_django_settings(**kwargs) -> None:
    """Workers and beat log with Django's LOGGING (JSON in staging and production), not Celery's."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@signals.before_task_publish.connect
def _request_id_to_task(headers=None, **kwargs) -> None:
    """A task queued during a request logs that request's id (settings/logging.py)."""
    from .logging import current_request_id

    request_id = current_request_id.get()
    if headers is not None and request_id:
        headers.setdefault("request_id", request_id)


@signals.worker_ready.connect
def _serve_worker_metrics(**kwargs) -> None:
    """CELERY_METRICS_PORT: the worker's own /metrics, for the counters its tasks increment."""
    from django.conf import settings

    if settings.CELERY_METRICS_PORT:
        from .metrics import worker_metrics_serve

        worker_metrics_serve(port=settings.CELERY_METRICS_PORT)


@signals.task_prerun.connect
def _task_reads_from_replicas_until_it_writes(**kwargs) -> None:
    from .routers import primary_pin_reset

    primary_pin_reset()
