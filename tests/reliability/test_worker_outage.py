"""No Celery worker: drawing readings, pages and the API keep working (nothing on the request
path waits for a task), and the jobs queued meanwhile run exactly once when a worker returns.

Needs the real broker and PostgreSQL (the service run); the worker is the live-worker suite's.
"""

import time

import pytest
import redis
from django.conf import settings as django_settings
from django.urls import reverse
from rest_framework.test import APIClient

from readings.models import DailyCard, Reading
from readings.tasks import daily_cards_generate_task
from tests.accounts.factories import UserFactory
from tests.api.conftest import bearer
from tests.tasks.test_live_worker import live_worker, wait_for  # noqa: F401 (fixture)

pytestmark = [pytest.mark.services, pytest.mark.worker]

FAST_ENOUGH_SECONDS = 2.0


def queued_messages() -> int:
    broker = redis.Redis.from_url(django_settings.CELERY_BROKER_URL)
    return broker.llen("default")


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_without_a_worker_requests_work_and_queued_jobs_run_once_it_is_back(
    live_worker,  # noqa: F811 (the fixture imported above)
    client,
    seeded_deck,
):
    # live_worker purged the queues and switched eager mode off; no worker is started yet.
    visitor = UserFactory()
    sleepers = [UserFactory() for _ in range(3)]
    client.force_login(visitor)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=bearer(visitor))

    answers = [
        timed(lambda: client.post(reverse("readings:new"), {"spread": "single-card"})),
        timed(lambda: client.get("/")),
        timed(lambda: client.get("/daily/")),
        timed(lambda: client.get("/journal/")),
        timed(lambda: api.post("/api/v1/readings/", {"spread": "celtic-cross"}, format="json")),
        timed(lambda: api.get("/api/v1/daily-card/")),
        timed(lambda: api.get("/api/v1/readings/")),
    ]
    # Beat queues the daily job as usual; it waits in the broker.
    daily_cards_generate_task.delay()

    assert [response.status_code for response, _ in answers] == [302, 200, 200, 200, 201, 200, 200]
    assert max(seconds for _, seconds in answers) < FAST_ENOUGH_SECONDS
    assert Reading.objects.filter(user=visitor).count() == 2
    assert queued_messages() == 1
    assert DailyCard.objects.count() == 1  # only the visitor's, drawn when the page was seen

    worker = live_worker()

    wait_for(
        lambda: DailyCard.objects.count() == 4 and queued_messages() == 0,
        timeout=30,
        what="the queued daily job",
        log=worker.log,
    )
    time.sleep(1)  # a second run would show up here
    worker.stop()
    assert sorted(DailyCard.objects.values_list("user_id", flat=True)) == sorted(
        user.pk for user in [visitor, *sleepers]
    )
    runs = worker.log_lines("readings.tasks.daily_cards_generate_task[", "succeeded")
    assert len(runs) == 1, worker.log_text()
    assert "'created': 3" in runs[0]
