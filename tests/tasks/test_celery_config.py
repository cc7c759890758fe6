from settings.celery import app


def test_every_scheduled_job_names_a_task_a_worker_has():
    # What a worker does at start-up: import every installed app's tasks module.
    app.loader.import_default_modules()

    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}

    assert scheduled >= {
        "readings.tasks.daily_cards_generate_task",
        "readings.tasks.daily_notifications_send_task",
        "accounts.tasks.expired_tokens_flush_task",
    }
    assert scheduled - set(app.tasks) == set()


def test_notification_tasks_go_to_their_own_queue():
    from readings import tasks

    def queue_of(task):
        return app.amqp.router.route({}, task.name)["queue"].name

    assert queue_of(tasks.daily_notifications_send_task) == "notifications"
    assert queue_of(tasks.daily_notifications_send_chunk_task) == "notifications"
    assert queue_of(tasks.daily_cards_generate_task) == "default"


def test_the_celery_app_follows_settings_changed_by_tests(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert app.conf.task_always_eager is False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert app.conf.task_always_eager is True
