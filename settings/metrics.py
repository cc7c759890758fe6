"""Who may read ``/metrics``, the view that renders it, and the Celery worker's own metrics
server. The counters themselves are in core/metrics.py."""

import hmac
import ipaddress
import logging
import os
import threading
from collections.abc import Iterable
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django_prometheus.exports import ExportToDjangoView
from prometheus_client import REGISTRY, CollectorRegistry, make_wsgi_app, multiprocess

from core.errors import error_response

logger = logging.getLogger(__name__)


# --- Access to /metrics -----------------------------------------------------------------------


def bearer_token(request: HttpRequest) -> str:
    return _bearer(request.headers.get("Authorization", ""))


def _bearer(authorization: str) -> str:
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def token_matches(given: str, expected: str) -> bool:
    """Constant-time comparison; an unset (empty) expected token matches nothing."""
    return bool(given and expected) and hmac.compare_digest(given.encode(), expected.encode())


def _address_in(address: str, networks: Iterable[str]) -> bool:
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(client in ipaddress.ip_network(network, strict=False) for network in networks)


def metrics_access_allowed(request: HttpRequest) -> bool:
    """Open where METRICS_PROTECTED is off; else the bearer token or an allowed network.

    The network test uses the connection's own address (REMOTE_ADDR), never X-Forwarded-For,
    which any client can write. Prometheus scrapes the pods directly, so that address is its own.
    """
    return _metrics_access_allowed(
        authorization=request.headers.get("Authorization", ""),
        remote_address=request.META.get("REMOTE_ADDR", ""),
    )


def _metrics_access_allowed(*, authorization: str, remote_address: str) -> bool:
    if not settings.METRICS_PROTECTED:
        return True
    token = _bearer(authorization)
    if token:
        return token_matches(token, settings.METRICS_TOKEN)
    return _address_in(remote_address, settings.METRICS_ALLOWED_NETWORKS)


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not metrics_access_allowed(request):
        return error_response(
            status=403, code="forbidden", message="Metrics need a valid bearer token."
        )
    return ExportToDjangoView(request)


# --- The Celery worker's own /metrics ----------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        """Every scrape would otherwise print a line that is not JSON."""


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def _worker_registry():
    """Prefork children count in files under PROMETHEUS_MULTIPROC_DIR; read them all."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


# Prometheus scrapes each worker pod by its own address; every request's access is checked.
ALL_INTERFACES = "0.0.0.0"  # noqa: S104  # nosec B104


def worker_metrics_serve(*, port: int, address: str = ALL_INTERFACES) -> WSGIServer:
    """Serve /metrics from a Celery worker (the daily-card and notification counters are
    incremented there), with the same access rule as the web's /metrics, in a daemon thread.
    """
    metrics_app = make_wsgi_app(_worker_registry())

    def protected(environ, start_response):
        allowed = _metrics_access_allowed(
            authorization=environ.get("HTTP_AUTHORIZATION", ""),
            remote_address=environ.get("REMOTE_ADDR", ""),
        )
        if not allowed:
            start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Metrics need a valid bearer token.\n"]
        return metrics_app(environ, start_response)

    server = make_server(
        address, port, protected, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
    threading.Thread(target=server.serve_forever, name="worker-metrics", daemon=True).start()
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        logger.warning(
            "Worker metrics on port %d without PROMETHEUS_MULTIPROC_DIR: counters of prefork "
            "pool processes are not visible here",
            port,
        )
    logger.info("Worker metrics served on %s:%d/metrics", address, port)
    return server
