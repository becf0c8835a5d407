"""Celery for the app; the task class moves each job through the registry's states."""
import json

from celery import Celery, Task
from celery.exceptions import Ignore, Retry
from flask import Flask

import registry


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                job_id, tries = self.request.id, self.request.retries
                before = registry.move(job_id, {"queued", "retrying"}, "started") if job_id else None
                if before == "cancelled":
                    raise Ignore()
                if before is None:
                    return self.run(*args, **kwargs)
                try:
                    value = self.run(*args, **kwargs)
                except Retry as retry:
                    cause = retry.exc
                    registry.move(job_id, {"started"}, "retrying", retries=tries + 1, error=f"{type(cause).__name__}: {cause}")
                    raise
                except Exception as error:
                    registry.move(job_id, {"started"}, "failed", retries=tries, error=f"{type(error).__name__}: {error}")
                    raise
                registry.move(job_id, {"started"}, "succeeded", retries=tries, result=json.dumps(value))
                return value

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
