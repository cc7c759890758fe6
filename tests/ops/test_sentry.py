"""Sentry: what an event from a failing view carries (and does not), and when it is on."""

import io
import json
import urllib.parse
import wsgiref.util

import pytest
import sentry_sdk
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from sentry_sdk.transport import Transport

from settings.sentry import sentry_init
from tests.accounts.factories import UserFactory
from tests.subprocesses import PRODUCTION_ENVIRONMENT, run_python

QUESTION = "Will my secret crush Minji answer my letter?"


class InMemoryTransport(Transport):
    """Keeps every event instead of sending it."""

    def __init__(self):
        super().__init__()
        self.events = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type in ("event", "transaction"):
                self.events.append(item.payload.json)


@pytest.fixture
def sentry_events():
    transport = InMemoryTransport()
    sentry_init(
        dsn="https://public@sentry.example/1",
        environment="staging",
        release="abc123",
        traces_sample_rate=0.0,
        transport=transport,
    )
    yield transport.events
    sentry_sdk.init()  # no DSN: the client is switched off for the rest of the suite


def wsgi_post(path: str, form: dict[str, str], headers: dict[str, str]) -> str:
    """POST through Django's real WSGI handler, as gunicorn calls it; returns the status line.

    The test client skips the WSGI layer where Sentry's Django integration starts its scope.
    """
    body = urllib.parse.urlencode(form).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        **{f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()},
    }
    wsgiref.util.setup_testing_defaults(environ)
    statuses = []
    # As Django's test client does: the request must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        WSGIHandler()(environ, lambda status, response_headers: statuses.append(status))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return statuses[0]


@pytest.mark.django_db
@pytest.mark.urls("tests.ops.failing_urls")
def test_an_error_in_a_view_reaches_sentry_without_personal_data(client, sentry_events):
    user = UserFactory(email="minji.kim@example.com")
    client.force_login(user)
    session_cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    status = wsgi_post(
        "/boom/",
        {"question": QUESTION, "email": "minji.kim@example.com"},
        headers={
            "X-Request-ID": "req-sentry-0001",
            "Cookie": f"{django_settings.SESSION_COOKIE_NAME}={session_cookie}",
            "Host": "testserver",
        },
    )
    sentry_sdk.flush()

    assert status.startswith("500")
    (event,) = [event for event in sentry_events if event.get("exception")]
    (exception,) = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "Lookup failed for [email]"
    assert event["environment"] == "staging"
    assert event["release"] == "abc123"
    assert event["tags"]["request_id"] == "req-sentry-0001"
    assert event["user"] == {"id": str(user.pk)}
    assert event["request"]["url"] == "http://testserver/boom/"
    assert event["request"]["method"] == "POST"
    breadcrumbs = [crumb.get("message") for crumb in event["breadcrumbs"]["values"]]
    assert "Looking up [email]" in breadcrumbs
    assert not event["request"].get("data")
    assert not event["request"].get("cookies")
    serialised = json.dumps(event, ensure_ascii=False)
    assert QUESTION not in serialised
    assert "minji.kim@example.com" not in serialised
    assert session_cookie not in serialised


SENTRY_PROBE = """
import json
import django
django.setup()
import sentry_sdk
client = sentry_sdk.get_client()
print(json.dumps({
    "active": client.is_active(),
    "environment": client.options.get("environment"),
    "release": client.options.get("release"),
    "traces_sample_rate": client.options.get("traces_sample_rate"),
    "send_default_pii": client.options.get("send_default_pii"),
    "integrations": sorted(client.integrations),
}))
"""


def probe_sentry(settings_module: str, environment: dict[str, str]) -> dict:
    result = run_python(
        ["-c", SENTRY_PROBE], settings_module=settings_module, environment=environment
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_staging_starts_sentry_when_a_dsn_is_set_with_its_environment_and_release():
    state = probe_sentry(
        "settings.staging",
        {
            **PRODUCTION_ENVIRONMENT,
            "SENTRY_DSN": "https://public@sentry.example/1",
            "SENTRY_TRACES_SAMPLE_RATE": "0.2",
            "APP_RELEASE": "3f2c1ab",
        },
    )

    assert state["active"] is True
    assert state["environment"] == "staging"
    assert state["release"] == "3f2c1ab"
    assert state["traces_sample_rate"] == 0.2
    assert state["send_default_pii"] is False
    assert {"django", "celery", "redis"} <= set(state["integrations"])


@pytest.mark.parametrize(
    ("settings_module", "environment"),
    [
        ("settings.production", PRODUCTION_ENVIRONMENT),
        ("settings.development", {"SENTRY_DSN": "https://public@sentry.example/1"}),
    ],
)
def test_sentry_stays_off_without_a_dsn_and_in_development(settings_module, environment):
    assert probe_sentry(settings_module, environment)["active"] is False


def test_an_invalid_traces_sample_rate_stops_start_up():
    result = run_python(
        ["-c", "import django; django.setup()"],
        settings_module="settings.production",
        environment={**PRODUCTION_ENVIRONMENT, "SENTRY_TRACES_SAMPLE_RATE": "5"},
    )

    assert result.returncode != 0
    assert "SENTRY_TRACES_SAMPLE_RATE must be between 0.0 and 1.0" in result.stderr
