"""The app's Celery app: Flask's "Background Tasks with Celery" pattern, with a task class that
keeps the job registry (monitoring.py) up to date around every attempt of every task.

Run a worker for your dev server with `celery -A make_celery worker --loglevel INFO` (see
make_celery.py). The checks run a worker of their own, on their own broker."""
from celery import Celery, Task
from celery.exceptions import Ignore
from flask import Flask

import monitoring


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                job_id = self.request.id
                if job_id is None or monitoring.get_job(job_id) is None:
                    return self.run(*args, **kwargs)  # not a job of the API (called directly)
                if not monitoring.mark_started(job_id):
                    raise Ignore()  # cancelled while it waited in the queue
                retries = self.request.retries
                try:
                    result = self.run(*args, **kwargs)
                except Exception as e:
                    monitoring.mark_failed(job_id, retries, _describe(e))
                    raise
                monitoring.mark_succeeded(job_id, retries, result)
                return result

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


def _describe(error):
    return f"{type(error).__name__}: {error}"
