"""The jobs the API can start (given: you do not need to change this file).

Each is a Celery task with a public name; POST /api/jobs starts one by that name."""
import time

from celery import shared_task
from flask import current_app


@shared_task(bind=True, name="jobs.add")
def add(self, x, y):
    return x + y


@shared_task(bind=True, name="jobs.sleep")
def sleep(self, seconds):
    time.sleep(min(float(seconds), 30))
    return seconds


@shared_task(bind=True, name="jobs.fail")
def fail(self, message):
    raise ValueError(message)


@shared_task(bind=True, name="jobs.flaky", max_retries=3)
def flaky(self, fail_times):
    """Fails its first `fail_times` attempts and retries after RETRY_DELAY seconds (3 retries at most)."""
    if self.request.retries < fail_times:
        raise self.retry(exc=ConnectionError(f"attempt {self.request.retries + 1} failed"),
                         countdown=current_app.config["RETRY_DELAY"])
    return {"attempts": self.request.retries + 1}


TASKS = {task.name: task for task in (add, sleep, fail, flaky)}
