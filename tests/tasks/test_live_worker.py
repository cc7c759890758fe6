"""A real Celery worker process against the real Redis broker and PostgreSQL (service run).

The worker runs the committed test database (``transaction=True``): the jobs are queued from
here exactly as beat queues them, and their effects are read back from the database and from
the files the worker's recording email backend writes.
"""

import datetime
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from readings.models import DailyCard, NotificationDelivery
from readings.tasks import daily_cards_generate_task, daily_notifications_send_task
from settings.celery import app
from tests.accounts.factories import UserFactory
from tests.conftest import require_service
from tests.tasks.conftest import subscriber

pytestmark = [pytest.mark.services, pytest.mark.worker]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
QUEUES = ("default", "notifications")
Status = NotificationDelivery.Status


def database_url() -> str:
    """The test database this process uses (``test_<name>``), as a URL for the worker."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}{port}/{quote(db['NAME'])}"


def wait_for(condition, *, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    tail = "\n".join(log.read_text().splitlines()[-40:]) if log else ""
    pytest.fail(f"timed out after {timeout}s waiting for {what}\n{tail}")


class LiveWorker:
    def __init__(self, directory: Path, *, email_delay: float, claim_timeout: int | None):
        self.log = directory / "worker.log"
        self.mail = directory / "mail"
        self.mail.mkdir()
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.tasks.live_worker_settings",
            "DATABASE_URL": database_url(),
            "RECORDING_EMAIL_DIR": str(self.mail),
            "RECORDING_EMAIL_DELAY": str(email_delay),
            "LOG_LEVEL": "INFO",
        }
        if claim_timeout is not None:
            environment["LIVE_WORKER_CLAIM_TIMEOUT"] = str(claim_timeout)
        command = [
            *(sys.executable, "-m", "celery", "-A", "settings", "worker"),
            *("--queues", ",".join(QUEUES), "--concurrency", "1", "--pool", "prefork"),
            *("--loglevel", "INFO", "--hostname", f"live-{uuid.uuid4().hex[:8]}@%h"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        ]
        self._log_file = self.log.open("w")
        self.process = subprocess.Popen(  # noqa: S603 (our interpreter, fixed arguments)
            command,
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        wait_for(
            lambda: " ready." in self.log.read_text() or self.process.poll() is not None,
            timeout=30,
            what="the worker to start",
            log=self.log,
        )
        assert self.process.poll() is None, self.log.read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown: unacked work goes back
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log_file.close()

    def log_text(self) -> str:
        return self.log.read_text()

    def log_lines(self, *needles: str) -> list[str]:
        return [line for line in self.log_text().splitlines() if all(n in line for n in needles)]

    def mail_records(self, suffix: str) -> dict[str, dict]:
        """Messages by id: ``started`` when a send began, ``json`` once it was delivered."""
        return {path.stem: json.loads(path.read_text()) for path in self.mail.glob(f"*.{suffix}")}

    def sends_in_progress(self) -> list[dict]:
        delivered = self.mail_records("json")
        return [r for name, r in self.mail_records("started").items() if name not in delivered]


def purge_queues() -> None:
    """Drop messages a previous run may have left, so the worker does only this test's work."""
    with app.connection_for_write() as broker:
        for queue in QUEUES:
            broker.default_channel.queue_purge(queue)


@pytest.fixture
def live_worker(transactional_db, settings, tmp_path):
    if not os.environ.get("REDIS_URL"):
        require_service("REDIS_URL is not set: the live worker needs the Redis broker")
    if connection.vendor != "postgresql":
        require_service("the database is not PostgreSQL (set DATABASE_URL)")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    purge_queues()
    workers = []

    def start(*, email_delay: float = 0, claim_timeout: int | None = None) -> LiveWorker:
        worker = LiveWorker(tmp_path, email_delay=email_delay, claim_timeout=claim_timeout)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
        print(f"worker log: {worker.log}")
    purge_queues()


@pytest.mark.django_db(transaction=True)
def test_a_live_worker_runs_both_daily_jobs_end_to_end(live_worker, seeded_deck):
    worker = live_worker()
    email_users = [
        subscriber(time_zone="Asia/Seoul", language="ko", notification_time=datetime.time(0, 0)),
        subscriber(
            time_zone="Pacific/Kiritimati", language="en", notification_time=datetime.time(0, 0)
        ),
        subscriber(
            time_zone="America/New_York", language="en", notification_time=datetime.time(0, 0)
        ),
    ]
    sms_user = subscriber(
        time_zone="Pacific/Pago_Pago",
        notification_channel="sms",
        notification_time=datetime.time(0, 0),
    )
    opted_out = UserFactory(notifications_enabled=False)
    UserFactory(is_active=False)
    active = [*email_users, sms_user, opted_out]

    daily_cards_generate_task.delay()
    daily_notifications_send_task.delay()

    wait_for(
        lambda: (
            NotificationDelivery.objects.filter(status=Status.SENT).count() == 4
            and DailyCard.objects.count() == len(active)
        ),
        timeout=30,
        what="both jobs to finish",
        log=worker.log,
    )
    worker.stop()
    cards = dict(DailyCard.objects.values_list("user_id", "date"))
    assert cards == {user.pk: user.local_date() for user in active}
    deliveries = NotificationDelivery.objects.values_list("user_id", "channel", "status")
    assert sorted(deliveries) == sorted(
        [(u.pk, "email", Status.SENT) for u in email_users] + [(sms_user.pk, "sms", Status.SENT)]
    )
    recorded = Counter(record["to"][0] for record in worker.mail_records("json").values())
    assert recorded == {user.email: 1 for user in email_users}
    for task in ("daily_cards_generate_task", "daily_notifications_send_task"):
        assert worker.log_lines(f"readings.tasks.{task}[", "succeeded"), worker.log.read_text()
    assert worker.log_lines("readings.tasks.daily_notifications_send_chunk_task[", "succeeded")
    print("\n".join(worker.log_lines("readings.tasks.")))


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_leaves_no_duplicate_after_the_rerun(live_worker, seeded_deck):
    claim_timeout = 3
    worker = live_worker(email_delay=0.8, claim_timeout=claim_timeout)
    users = [subscriber(notification_time=datetime.time(0, 0)) for _ in range(5)]

    daily_notifications_send_task.delay()
    # Two messages are out and the worker process is in the middle of sending the third.
    (in_flight,) = wait_for(
        lambda: len(worker.mail_records("json")) == 2 and worker.sends_in_progress(),
        timeout=30,
        what="the third send to start",
        log=worker.log,
    )
    os.kill(in_flight["pid"], signal.SIGKILL)
    wait_for(
        lambda: worker.log_lines("WorkerLostError"), timeout=15, what="the loss", log=worker.log
    )
    # The chunk goes back to the queue (reject_on_worker_lost) and runs again in a new process:
    # the two delivered users are skipped; the interrupted one is claimable again only once its
    # lease is over, so it is sent by that rerun if the lease had passed, or by the next beat
    # run, queued here after the lease.
    time.sleep(claim_timeout)
    daily_notifications_send_task.delay()
    wait_for(
        lambda: NotificationDelivery.objects.filter(status=Status.SENT).count() == len(users),
        timeout=30,
        what="every delivery to be sent",
        log=worker.log,
    )
    worker.stop()

    sent = Counter(record["to"][0] for record in worker.mail_records("json").values())
    assert sent == {user.email: 1 for user in users}
    attempts = dict(NotificationDelivery.objects.values_list("user__email", "attempts"))
    interrupted = in_flight["to"][0]
    assert attempts == {user.email: 2 if user.email == interrupted else 1 for user in users}
    received = Counter(
        re.findall(
            r"daily_notifications_send_chunk_task\[([0-9a-f-]+)\] received", worker.log_text()
        )
    )
    assert 2 in received.values(), "the killed chunk was not delivered again"
    print("\n".join(worker.log_lines("readings.tasks.") + worker.log_lines("WorkerLostError")))
