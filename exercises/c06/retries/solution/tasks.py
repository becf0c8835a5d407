"""billing.send_invoice: calls the flaky partner API, retrying with exponential backoff."""
from celery import shared_task
from flask import current_app

import partner
from redis_conn import get_redis


def job_key(task_id):
    return f"job:{task_id}"


@shared_task(bind=True, name="billing.send_invoice")
def send_invoice(self, invoice_id):
    r = get_redis()
    r.hincrby(job_key(self.request.id), "attempts", 1)
    try:
        return partner.send_invoice(invoice_id)
    except partner.PartnerUnavailable as exc:
        max_retries = current_app.config["MAX_RETRIES"]
        if self.request.retries >= max_retries:
            raise  # gives up: the task fails with the partner's error
        countdown = current_app.config["RETRY_BACKOFF"] * 2 ** self.request.retries
        r.rpush(job_key(self.request.id) + ":delays", countdown)
        raise self.retry(exc=exc, countdown=countdown, max_retries=max_retries)
    # PartnerRejected (and anything else) is not caught: the task fails at once
