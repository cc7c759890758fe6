"""Beat's heartbeat: each scheduled job records when it last completed, and the alert
TarotScheduledJobStale (deploy/monitoring/alert-rules.yml) watches that timestamp."""

import datetime

import pytest
from prometheus_client import REGISTRY

from readings import daily_services
from readings.tasks import daily_cards_generate_task, daily_notifications_send_task
from tests.tasks.conftest import at

METRIC = "tarot_job_last_success_timestamp_seconds"
NOW = datetime.datetime(2026, 11, 27, 6, 45, tzinfo=datetime.UTC)


def last_success(task: str) -> float | None:
    return REGISTRY.get_sample_value(METRIC, {"task": task})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("task", "scheduled"),
    [
        ("daily_cards", daily_cards_generate_task),
        ("daily_notifications", daily_notifications_send_task),
    ],
)
def test_a_completed_run_sets_its_last_success_to_now(seeded_deck, task, scheduled):
    with at(2026, 11, 27, 6, 45):
        scheduled.delay().get()

    assert last_success(task) == NOW.timestamp()


@pytest.mark.django_db
def test_a_failed_run_leaves_the_last_success_where_it_was(seeded_deck, monkeypatch):
    with at(2026, 11, 27, 6, 45):
        daily_cards_generate_task.delay().get()

    def broken(**kwargs):
        raise RuntimeError("the job broke")

    monkeypatch.setattr(daily_services, "daily_cards_generate", broken)
    with at(2026, 11, 27, 7, 0), pytest.raises(RuntimeError):
        daily_cards_generate_task.delay().get()

    assert last_success("daily_cards") == NOW.timestamp()
