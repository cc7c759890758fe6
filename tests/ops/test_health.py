"""Liveness, readiness and the worker ping endpoint."""

import pytest
from celery import Celery
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder

from tests.conftest import require_service
from tests.subprocesses import closed_port

LOCAL_REDIS = "redis://127.0.0.1:6379/15"
WORKERS_TOKEN = "w" * 40


def redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }


def redis_is_running() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(LOCAL_REDIS, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.parametrize("path", ["/health", "/api/health"])
def test_liveness_answers_healthy_without_touching_any_dependency(client, path):
    # No database access is allowed in this test: a query would raise.
    response = client.get(path)

    assert response.status_code == 200
    assert response.json() == {"status": "healthy"}
    assert "no-cache" in response["Cache-Control"]


def test_liveness_stays_healthy_when_the_database_is_down(client, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", _refuse_connection)
        response = client.get("/health")

    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/ready", "/api/ready"])
def test_readiness_reports_each_check_when_all_pass(client, db, settings, path):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no broker to check (the service run has one)

    response = client.get(path)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert (body["failing"], body["degraded"]) == ([], [])
    assert set(body["checks"]) == {"database", "cache", "migrations"}
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert "no-cache" in response["Cache-Control"]


def test_readiness_stays_200_naming_the_cache_degraded_when_redis_is_unreachable(
    client, db, settings
):
    # Every pod shares the one Redis: failing readiness for it would empty the Service at once.
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/0")

    response = client.get("/ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert (body["failing"], body["degraded"]) == ([], ["cache"])
    assert body["checks"]["cache"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"


def _refuse_connection(self, *args, **kwargs):
    raise OperationalError("connection refused")


def test_readiness_fails_with_503_naming_the_database_when_it_is_down(client, db, monkeypatch):
    # The checks open their own connections in worker threads; refuse every new one (only
    # during the request: the test database's own rollback needs a connection afterwards).
    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", _refuse_connection)
        response = client.get("/api/ready")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database", "migrations"]
    assert body["checks"]["database"]["error"].startswith("Unavailable")
    assert body["checks"]["cache"]["status"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_readiness_fails_while_a_migration_is_not_applied(client):
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied("sessions", "0001_initial")
    try:
        response = client.get("/ready")
    finally:
        recorder.record_applied("sessions", "0001_initial")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["migrations"]
    assert "sessions.0001_initial" in body["checks"]["migrations"]["error"]


def test_readiness_checks_the_broker_when_celery_uses_one(client, db, settings):
    if not redis_is_running():
        require_service(f"Redis is not reachable at {LOCAL_REDIS}")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = LOCAL_REDIS

    response = client.get("/ready")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"]["status"] == "ok"


def test_readiness_names_the_broker_degraded_when_it_is_unreachable(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"

    response = client.get("/ready")

    assert response.status_code == 200
    body = response.json()
    assert (body["failing"], body["degraded"]) == ([], ["broker"])
    assert "Unable to connect to Redis" in body["checks"]["broker"]["error"]


def test_readiness_does_not_include_the_celery_workers(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"

    body = client.get("/ready").json()

    assert "workers" not in body["checks"]


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Basic {WORKERS_TOKEN}", f"Bearer {WORKERS_TOKEN}x"],
)
def test_worker_health_needs_the_token(client, settings, authorization):
    settings.HEALTH_WORKERS_TOKEN = WORKERS_TOKEN
    headers = {"Authorization": authorization} if authorization else {}

    response = client.get("/health/workers", headers=headers)

    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": "forbidden",
            "message": "A valid bearer token is required.",
            "fields": {},
        }
    }


def test_worker_health_is_closed_while_no_token_is_configured(client, settings):
    settings.HEALTH_WORKERS_TOKEN = ""

    response = client.get("/health/workers", headers={"Authorization": "Bearer "})

    assert response.status_code == 403


def test_worker_health_reports_no_workers_when_tasks_run_eagerly(client, settings):
    settings.HEALTH_WORKERS_TOKEN = WORKERS_TOKEN
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get("/health/workers", headers={"Authorization": f"Bearer {WORKERS_TOKEN}"})

    assert response.status_code == 503
    assert response.json()["failing"] == ["workers"]


def test_worker_health_fails_when_no_worker_answers(client, settings, monkeypatch):
    if not redis_is_running():
        require_service(f"Redis is not reachable at {LOCAL_REDIS}")
    settings.HEALTH_WORKERS_TOKEN = WORKERS_TOKEN
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Its own app on an unused database number, where no worker listens.
    monkeypatch.setattr(
        "settings.health.celery_app", Celery("probe", broker="redis://127.0.0.1:6379/14")
    )

    response = client.get("/health/workers", headers={"Authorization": f"Bearer {WORKERS_TOKEN}"})

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["workers"]
    assert "unavailable" in body["checks"]["workers"]["error"].lower()


def dependencies(client, token: str | None = WORKERS_TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get("/health/dependencies", headers=headers)


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_the_dependency_report_needs_the_token(client, settings, token):
    settings.HEALTH_WORKERS_TOKEN = WORKERS_TOKEN

    response = dependencies(client, token)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_the_dependency_report_names_every_dependency_with_its_latency(client, db, settings):
    settings.HEALTH_WORKERS_TOKEN = WORKERS_TOKEN
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Named, not connected: the replica routing tests run against a real mirror replica.
    settings.DATABASE_REPLICAS = ["replica_1"]

    body = dependencies(client).json()

    assert set(body["checks"]) == {
        "database",
        "replica_1",
        "cache",
        "migrations",
        "workers",
        "media",
    }
    assert all(isinstance(check["seconds"], float) for check in body["checks"].values())
    for name in ("database", "cache", "migrations", "media"):
        assert body["checks"][name]["status"] == "ok", body["checks"][name]


def test_the_dependency_report_fails_with_whatever_is_down(client, db, settings):
    settings.HEALTH_WORKERS_TOKEN = WORKERS_TOKEN
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/0")

    response = dependencies(client)

    assert response.status_code == 503
    body = response.json()
    # Unlike readiness, nothing here is merely degraded: the report is for people and alerts.
    assert body["failing"] == ["cache", "workers"]
    assert body["degraded"] == []
