from celery.schedules import crontab

from readings import tasks
from settings.celery import app


def test_beat_runs_the_daily_jobs_from_the_schedule_in_settings():
    schedule = app.conf.beat_schedule
    # What a worker does at start-up: import every installed app's tasks module.
    app.loader.import_default_modules()

    assert schedule["daily-cards-generate"]["task"] == "readings.tasks.daily_cards_generate_task"
    assert schedule["daily-cards-generate"]["schedule"] == crontab(minute="*/15")
    assert (
        schedule["daily-notifications-send"]["task"]
        == "readings.tasks.daily_notifications_send_task"
    )
    assert schedule["daily-notifications-send"]["schedule"] == crontab(minute="*/5")
    assert {entry["task"] for entry in schedule.values()} <= set(app.tasks)


def test_notification_tasks_go_to_their_own_queue():
    router = app.amqp.router

    def queue_of(task):
        return router.route({}, task.name)["queue"].name

    assert queue_of(tasks.daily_notifications_send_task) == "notifications"
    assert queue_of(tasks.daily_notifications_send_chunk_task) == "notifications"
    assert queue_of(tasks.daily_cards_generate_task) == "default"


def test_tasks_survive_a_lost_worker_and_use_json():
    for task in (
        tasks.daily_cards_generate_task,
        tasks.daily_notifications_send_task,
        tasks.daily_notifications_send_chunk_task,
    ):
        assert task.acks_late is True
        assert task.reject_on_worker_lost is True
        assert task.max_retries == 5
    assert (
        tasks.daily_cards_generate_task.soft_time_limit < tasks.daily_cards_generate_task.time_limit
    )
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit


def test_the_celery_app_follows_settings_changed_by_tests(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert app.conf.task_always_eager is False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert app.conf.task_always_eager is True
