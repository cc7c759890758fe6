"""Email backends the task tests plug in through EMAIL_BACKEND."""

import json
import os
import smtplib
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend


class FlakyEmailBackend(LocmemEmailBackend):
    """Fails the next ``failures_left`` sends like a mail server dropping the line, then delivers
    into ``django.core.mail.outbox``; ``error`` replaces the failure when set."""

    failures_left = 0
    error: Exception | None = None

    def send_messages(self, messages):
        cls = type(self)
        if cls.failures_left > 0:
            cls.failures_left -= 1
            raise cls.error or smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class RecordingEmailBackend(BaseEmailBackend):
    """For the live worker: each message becomes a JSON file in ``RECORDING_EMAIL_DIR`` the test
    process can read. A ``.started`` marker is written first, then the send takes
    ``RECORDING_EMAIL_DELAY`` seconds, like a slow mail server, so a test can kill the worker
    mid-send."""

    def send_messages(self, messages):
        directory = Path(os.environ["RECORDING_EMAIL_DIR"])
        delay = float(os.environ.get("RECORDING_EMAIL_DELAY", "0"))
        for message in messages:
            name = uuid.uuid4().hex
            record = {"to": message.to, "subject": message.subject, "pid": os.getpid()}
            (directory / f"{name}.started").write_text(json.dumps(record))
            time.sleep(delay)
            (directory / f"{name}.json").write_text(json.dumps(record))
        return len(messages)
