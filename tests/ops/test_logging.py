"""Request ids, and the JSON log lines of staging and production: fields, and no personal data."""

import io
import json
import logging
import re

import pytest
from celery import Celery

from readings import services
from settings.celery import _request_id_to_task
from settings.logging import (
    JsonLogFormatter,
    ReadableFormatter,
    RequestContextFilter,
    current_request_id,
    logging_config,
)
from tests.accounts.factories import UserFactory
from tests.subprocesses import PRODUCTION_ENVIRONMENT, run_python

UUID4_HEX = re.compile(r"^[0-9a-f]{32}$")
QUESTION = "Will my secret crush Minji answer my letter?"


@pytest.fixture
def json_log_lines():
    """Every record logged meanwhile, formatted as staging and production format them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLogFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)


# --- X-Request-ID -----------------------------------------------------------------------------


def test_a_well_formed_incoming_request_id_is_kept_and_echoed(client):
    response = client.get("/health", headers={"X-Request-ID": "lb-7f3a9c21.0001"})

    assert response["X-Request-ID"] == "lb-7f3a9c21.0001"


@pytest.mark.parametrize(
    "incoming", ["", "short", "has spaces in it", "x" * 129, "semi;colon;value", "é" * 10]
)
def test_a_missing_or_malformed_request_id_is_replaced_by_a_new_uuid4(client, incoming):
    headers = {"X-Request-ID": incoming} if incoming else {}

    response = client.get("/health", headers=headers)

    assert UUID4_HEX.match(response["X-Request-ID"])


def test_each_request_gets_its_own_id(client):
    ids = {client.get("/health")["X-Request-ID"] for _ in range(5)}

    assert len(ids) == 5


# --- JSON lines -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_log_line_names_the_request_and_the_signed_in_user_but_not_their_email(
    client, json_log_lines, single_card_spread
):
    user = UserFactory(email="minji.kim@example.com")
    someone_elses = services.reading_create(user=UserFactory(), spread=single_card_spread)
    client.force_login(user)

    response = client.get(
        f"/readings/{someone_elses.pk}/", headers={"X-Request-ID": "req-1234abcd"}
    )

    assert response.status_code == 404
    (line,) = [line for line in json_log_lines() if line["logger"] == "django.request"]
    assert list(line)[:6] == ["timestamp", "level", "logger", "message", "request_id", "user_id"]
    assert line["level"] == "WARNING"
    assert line["message"] == f"Not Found: /readings/{someone_elses.pk}/"
    assert line["request_id"] == "req-1234abcd"
    assert line["user_id"] == user.pk
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", line["timestamp"])
    assert "request" not in line
    assert "minji.kim@example.com" not in json.dumps(json_log_lines())


@pytest.mark.django_db
def test_application_logs_during_a_reading_carry_the_ids_but_no_email_phone_or_question(
    client, json_log_lines, monkeypatch, three_card_spread
):
    user = UserFactory(email="minji.kim@example.com", phone_number="+821012345678")
    client.force_login(user)
    draw = services.reading_create

    def careless_reading_create(**kwargs):
        # Code that logs personal data by mistake: the format must still keep it out.
        logging.getLogger("readings.services").warning(
            "Drawing for %s (%s, 010-1234-5678): %s",
            kwargs["user"].email,
            kwargs["user"].phone_number,
            kwargs["question"][:0],
            extra={"question": kwargs["question"], "email": kwargs["user"].email},
        )
        return draw(**kwargs)

    monkeypatch.setattr(services, "reading_create", careless_reading_create)

    response = client.post(
        "/readings/new/",
        {"spread": three_card_spread.slug, "question": QUESTION, "allow_reversed": "on"},
    )

    assert response.status_code == 302
    (line,) = [line for line in json_log_lines() if line["logger"] == "readings.services"]
    assert line["message"] == "Drawing for [email] ([phone], [phone]): "
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == user.pk
    assert "question" not in line and "email" not in line
    everything = json.dumps(json_log_lines(), ensure_ascii=False)
    for personal in (QUESTION, "minji.kim@example.com", "+821012345678", "010-1234-5678"):
        assert personal not in everything


def test_exceptions_in_json_lines_are_masked_too(json_log_lines):
    try:
        raise ValueError("SMTP refused minji.kim@example.com")
    except ValueError:
        logging.getLogger("readings.notifications").exception("Send failed")

    (line,) = json_log_lines()
    assert "ValueError: SMTP refused [email]" in line["exc_info"]
    assert line["request_id"] is None and line["user_id"] is None


def test_development_lines_are_readable_text_with_the_request_id():
    config = logging_config(json=False, level="INFO")
    options = dict(config["formatters"]["readable"])
    formatter = ReadableFormatter(options["format"], style=options["style"])
    record = logging.LogRecord("tarot", logging.INFO, __file__, 1, "Deck seeded", None, None)
    RequestContextFilter().filter(record)
    record.request_id = "req-1234abcd"

    line = formatter.format(record)

    assert config["handlers"]["console"]["formatter"] == "readable"
    assert re.match(
        r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ INFO tarot \[req-1234abcd\]: Deck seeded$", line
    )


PRODUCTION_LOG_PROBE = """
import logging
import django
django.setup()
from django.test import Client
response = Client().get(
    "/health/workers", headers={"X-Request-ID": "probe-request-0001"}, secure=True
)
logging.getLogger("tarot").info("done")
"""


def test_staging_logs_json_lines_from_the_real_settings():
    result = run_python(
        ["-c", PRODUCTION_LOG_PROBE],
        settings_module="settings.staging",
        environment={**PRODUCTION_ENVIRONMENT, "DJANGO_ALLOWED_HOSTS": "testserver"},
    )

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    forbidden = next(line for line in lines if line["logger"] == "django.request")
    assert forbidden["level"] == "WARNING"
    assert forbidden["message"] == "Forbidden: /health/workers"
    assert forbidden["request_id"] == "probe-request-0001"
    assert forbidden["user_id"] is None
    done = next(line for line in lines if line["logger"] == "tarot")
    assert done["message"] == "done" and done["request_id"] is None


CELERY_LOG_PROBE = """
import logging
import django
django.setup()
from settings.celery import app
app.log.setup(loglevel="INFO")  # what `celery worker` does at start-up

@app.task(name="tarot.probe")
def probe():
    logging.getLogger("readings.tasks").info("inside the task")

probe.apply(task_id="task-0001")
"""


def test_celery_logs_in_the_same_json_format_with_the_task():
    result = run_python(
        ["-c", CELERY_LOG_PROBE],
        settings_module="settings.production",
        environment=PRODUCTION_ENVIRONMENT,
    )

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    inside = next(line for line in lines if line["message"] == "inside the task")
    assert inside["logger"] == "readings.tasks"
    assert inside["level"] == "INFO"
    assert inside["task_id"] == "task-0001"
    assert inside["task_name"] == "tarot.probe"


def test_a_task_queued_during_a_request_carries_its_request_id_to_the_worker():
    headers: dict[str, str] = {}
    token = current_request_id.set("req-from-web-0001")
    try:
        _request_id_to_task(headers=headers)
    finally:
        current_request_id.reset(token)

    assert headers == {"request_id": "req-from-web-0001"}


def test_task_log_lines_name_the_task_and_the_request_that_queued_it(json_log_lines):
    app = Celery("probe", set_as_current=False)

    @app.task(name="tarot.probe")
    def probe():
        logging.getLogger("readings.tasks").warning("inside the task")

    probe.apply(task_id="task-0002", headers={"request_id": "req-from-web-0002"})

    (line,) = [line for line in json_log_lines() if line["message"] == "inside the task"]
    assert line["task_id"] == "task-0002"
    assert line["task_name"] == "tarot.probe"
    assert line["request_id"] == "req-from-web-0002"
