"""The app's Celery app (given: you do not need to change this file).

Flask's "Background Tasks with Celery" pattern: `celery_init_app(app)` builds a Celery app from
`app.config["CELERY"]` (broker, result backend, ...), makes every task run inside the Flask app's
context (so a task can use `current_app` and `get_redis()`), makes it the default Celery app (so
`@shared_task` tasks bind to it) and stores it in `app.extensions["celery"]`.

Run a worker for your dev server with `celery -A make_celery worker --loglevel INFO` (see
make_celery.py). The checks run a worker of their own, on their own broker."""
from celery import Celery, Task
from flask import Flask


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
