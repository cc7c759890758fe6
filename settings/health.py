"""Liveness, readiness and worker health endpoints.

- ``/health`` (``/api/health``): the process answers. Touches no dependency, so a database
  outage never gets healthy web processes restarted.
- ``/ready`` (``/api/ready``): this instance can serve traffic: the database answers and every
  migration is applied; 503 naming the failing checks takes it out of the load balancer until
  they pass. The cache and the Celery broker are checked too, but their failure only shows as
  ``"degraded"`` with a 200: pages degrade to cache misses and tasks wait, and failing every pod
  at once because the one Redis they share blinked would turn a blip into a full outage.
- ``/health/workers``: Celery workers answer a ping on every queue. Not part of readiness (a
  worker outage must not take the web down); protected by ``HEALTH_WORKERS_TOKEN``.
- ``/health/dependencies``: for monitoring and people, never a probe: every dependency (the
  database, each read replica, the cache, the broker, the workers, media storage) with its
  status and latency; 503 when any fails. Protected by the same token.

Checks run concurrently through django-health-check 4.x (``HealthCheck.get_result``), each with
its own timeout.
"""

import asyncio
import dataclasses
import datetime
from typing import Any

from django import db
from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from health_check.base import HealthCheck, HealthCheckResult
from health_check.checks import Cache, Database, Storage
from health_check.contrib.celery import Ping
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

from core.errors import error_response

from .celery import app as celery_app
from .metrics import bearer_token, token_matches

CHECK_TIMEOUT_SECONDS = 3


@require_safe
@never_cache
def liveness_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "healthy"})


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """Every migration on disk is applied: new code never serves an old schema."""

    alias: str = "default"

    def run(self) -> None:
        connection = connections[self.alias]
        try:
            with connection.temporary_connection():
                executor = MigrationExecutor(connection)
                plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except db.Error as error:
            raise ServiceUnavailable("Cannot read the applied migrations") from error
        if plan:
            first, _backwards = plan[0]
            raise ServiceUnavailable(
                f"{len(plan)} migration(s) not applied, first {first.app_label}.{first.name}"
            )


@dataclasses.dataclass
class WorkersPing(Ping):
    """Ping, and require a worker consuming each queue tasks are routed to, not only the default."""

    def check_active_queues(self, *active_workers):
        routed = {route["queue"] for route in (self.app.conf.task_routes or {}).values()}
        wanted = {self.app.conf.task_default_queue, *routed}
        replies = self.app.control.inspect(list(active_workers)).active_queues() or {}
        consumed = {queue.get("name") for queues in replies.values() for queue in queues}
        missing = sorted(wanted - consumed)
        if missing:
            raise ServiceUnavailable(f"No worker consumes the queue(s) {', '.join(missing)}")


def _broker_is_redis(url: str) -> bool:
    return url.startswith(("redis://", "rediss://", "unix://"))


def readiness_checks() -> dict[str, HealthCheck]:
    timeout = datetime.timedelta(seconds=CHECK_TIMEOUT_SECONDS)
    checks: dict[str, HealthCheck] = {
        "database": Database(),
        "cache": Cache(timeout=timeout),
        "migrations": MigrationsApplied(),
    }
    broker_url = settings.CELERY_BROKER_URL
    if broker_url and not settings.CELERY_TASK_ALWAYS_EAGER and _broker_is_redis(broker_url):
        checks["broker"] = Redis(
            client_factory=lambda: RedisClient.from_url(
                broker_url,
                socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
                socket_timeout=CHECK_TIMEOUT_SECONDS,
            )
        )
    return checks


def _result_json(result: HealthCheckResult) -> dict[str, Any]:
    outcome: dict[str, Any] = {
        "status": "error" if result.error else "ok",
        "seconds": round(result.time_taken, 4),
    }
    if result.error:
        outcome["error"] = str(result.error)
    return outcome


class ChecksView(HealthCheckView):
    """Runs named checks concurrently; 200 when all pass, else 503 naming the failing ones.
    A check named in ``degradable`` that fails is named under ``degraded`` and keeps the 200."""

    ok_status = "ready"
    degradable: frozenset[str] = frozenset()

    def named_checks(self) -> dict[str, HealthCheck]:
        raise NotImplementedError

    async def get(self, request, *args, **kwargs):
        checks = self.named_checks()
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check in checks.values())
            )
        outcomes = dict(zip(checks, results, strict=True))
        errors = [name for name, result in outcomes.items() if result.error]
        failing = [name for name in errors if name not in self.degradable]
        degraded = [name for name in errors if name in self.degradable]
        status = "unavailable" if failing else "degraded" if degraded else self.ok_status
        return JsonResponse(
            {
                "status": status,
                "failing": failing,
                "degraded": degraded,
                "checks": {name: _result_json(result) for name, result in outcomes.items()},
            },
            status=503 if failing else 200,
        )


class ReadinessView(ChecksView):
    degradable = frozenset({"cache", "broker"})

    def named_checks(self) -> dict[str, HealthCheck]:
        return readiness_checks()


def workers_check() -> HealthCheck:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return _Eager()
    return WorkersPing(app=celery_app, timeout=datetime.timedelta(seconds=2))


class _TokenProtectedChecksView(ChecksView):
    ok_status = "healthy"

    async def get(self, request, *args, **kwargs):
        if not _workers_token_valid(request):
            return error_response(
                status=403, code="forbidden", message="A valid bearer token is required."
            )
        return await super().get(request, *args, **kwargs)


class WorkersHealthView(_TokenProtectedChecksView):
    def named_checks(self) -> dict[str, HealthCheck]:
        return {"workers": workers_check()}


class DependenciesView(_TokenProtectedChecksView):
    def named_checks(self) -> dict[str, HealthCheck]:
        checks = readiness_checks()
        for alias in settings.DATABASE_REPLICAS:
            checks[alias] = Database(alias=alias)
        checks["workers"] = workers_check()
        checks["media"] = Storage()
        return checks


@dataclasses.dataclass
class _Eager(HealthCheck):
    def run(self) -> None:
        raise ServiceUnavailable("Celery runs tasks eagerly here: there are no workers")


def _workers_token_valid(request: HttpRequest) -> bool:
    return token_matches(bearer_token(request), settings.HEALTH_WORKERS_TOKEN)
