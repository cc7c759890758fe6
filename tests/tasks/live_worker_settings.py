"""Settings of the live Celery worker started by test_live_worker.py: the test settings, with
mail recorded in files the test process can read and a claim lease the test can wait out."""

import os

from settings.test import *  # noqa: F403
from settings.test import NOTIFICATION_CLAIM_TIMEOUT

EMAIL_BACKEND = "tests.tasks.email_backends.RecordingEmailBackend"
NOTIFICATION_CLAIM_TIMEOUT = int(
    os.environ.get("LIVE_WORKER_CLAIM_TIMEOUT", NOTIFICATION_CLAIM_TIMEOUT)
)
