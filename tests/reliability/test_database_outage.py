"""The database cannot be reached: liveness still answers, readiness says so, and pages and the
API answer a styled 503 (or the API's error shape), never a traceback."""

import json

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from tests.subprocesses import PRODUCTION_ENVIRONMENT, closed_port, run_python

PAGES = ["/", "/cards/", "/cards/the-fool/", "/daily/", "/readings/new/", "/en/cards/"]
API = ["/api/v1/cards/", "/api/v1/daily-card/", "/api/v1/spreads/"]


# Every new query fails as if PostgreSQL were gone (patched only around the request: the test
# database's own rollback needs a connection afterwards).
def _refuse_connection(self, *args, **kwargs):
    raise OperationalError("connection refused")


def assert_styled_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "잠시 점검 중이에요" in page and "We will be right back" in page
    assert '<link rel="stylesheet"' in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize("path", PAGES)
def test_pages_answer_the_styled_503_page(seeded_deck, monkeypatch, path):
    client = Client(raise_request_exception=False)
    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", _refuse_connection)
        response = client.get(path)

    assert_styled_503(response)


def test_a_form_post_answers_the_styled_503_page(seeded_deck, monkeypatch):
    client = Client(raise_request_exception=False)
    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", _refuse_connection)
        response = client.post("/readings/new/", {"spread": "single-card", "question": "?"})

    assert_styled_503(response)


@pytest.mark.parametrize("path", API)
def test_the_api_answers_503_in_its_error_shape(seeded_deck, monkeypatch, path):
    client = Client(raise_request_exception=False)
    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", _refuse_connection)
        response = client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "error": {
            "code": "service_unavailable",
            "message": "잠시 서비스를 이용할 수 없어요. 조금 뒤에 다시 시도해 주세요.",
            "fields": {},
        }
    }


def test_other_server_errors_stay_500_in_the_api_error_shape(db, monkeypatch):
    client = Client(raise_request_exception=False)
    monkeypatch.setattr("tarot.api.CardListApi.get", lambda self, request: 1 / 0)

    response = client.get("/api/v1/cards/")

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"


def test_health_stays_200_and_ready_names_the_database(seeded_deck, monkeypatch, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no broker check: only the database is down
    client = Client(raise_request_exception=False)
    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", _refuse_connection)
        health = client.get("/health")
        ready = client.get("/ready")

    assert health.status_code == 200
    assert ready.status_code == 503
    assert "database" in ready.json()["failing"]


UNREACHABLE_DATABASE_PROBE = """
import json
import django
django.setup()
from django.test import Client
client = Client(headers={"X-Forwarded-Proto": "https"}, raise_request_exception=False)
results = {}
for path in ("/", "/cards/", "/api/v1/cards/", "/health", "/ready"):
    response = client.get(path)
    results[path] = [response.status_code, response.content.decode()[:4000]]
print(json.dumps(results))
"""


def test_production_with_postgresql_unreachable_answers_503_without_a_traceback():
    # A real PostgreSQL address where nothing listens: connections are refused.
    result = run_python(
        ["-c", UNREACHABLE_DATABASE_PROBE],
        settings_module="tests.security.production_probe_settings",
        environment={
            **PRODUCTION_ENVIRONMENT,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": f"postgres://tarot@127.0.0.1:{closed_port()}/tarot",
            "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0",
        },
    )

    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    for path in ("/", "/cards/"):
        status, body = answers[path]
        assert status == 503, path
        assert "잠시 점검 중이에요" in body
    status, body = answers["/api/v1/cards/"]
    assert status == 503
    assert json.loads(body)["error"]["code"] == "service_unavailable"
    assert answers["/health"][0] == 200
    assert answers["/ready"][0] == 503
    assert "database" in json.loads(answers["/ready"][1])["failing"]
    # Logged as errors (JSON lines), with the cause, for the on-call person.
    logged = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert any(line["level"] == "ERROR" and line["logger"] == "django.request" for line in logged)
