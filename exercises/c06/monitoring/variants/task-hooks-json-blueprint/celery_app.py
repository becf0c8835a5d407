"""Celery for the app, with a task class whose hooks (before_start, on_retry, on_failure,
on_success: Celery calls them around every attempt) keep the job registry up to date."""
import time

from celery import Celery, Task
from celery.exceptions import Ignore
from flask import Flask

from monitoring import registry


def _finish(state, **fields):
    def change(record):
        if record["state"] != "started":
            return False
        now = time.time()
        record.update(state=state, finished_at=now, runtime=now - record["started_at"], **fields)
        return True

    return change


def celery_init_app(app: Flask) -> Celery:
    class MonitoredTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

        def before_start(self, task_id, args, kwargs):
            with app.app_context():
                def start(record):
                    if record["state"] not in ("queued", "retrying"):
                        return False
                    record["state"] = "started"
                    record["started_at"] = record["started_at"] or time.time()
                    return True

                before = registry().update(task_id, start)
                if before is not None and before["state"] not in ("queued", "retrying"):
                    raise Ignore()  # cancelled

        def on_retry(self, exc, task_id, args, kwargs, einfo):
            retries = self.request.retries + 1
            with app.app_context():
                registry().update(task_id, lambda r: r["state"] == "started" and bool(r.update(
                    state="retrying", retries=retries, error=f"{type(exc).__name__}: {exc}") or True))

        def on_failure(self, exc, task_id, args, kwargs, einfo):
            with app.app_context():
                registry().update(task_id, _finish("failed", retries=self.request.retries, error=f"{type(exc).__name__}: {exc}"))

        def on_success(self, retval, task_id, args, kwargs):
            with app.app_context():
                registry().update(task_id, _finish("succeeded", retries=self.request.retries, result=retval))

    celery_app = Celery(app.name, task_cls=MonitoredTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
