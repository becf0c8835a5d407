from celery.utils.time import get_exponential_backoff_interval
from flask import current_app

from joblog import JobLog
from partner import PartnerUnavailable, send_invoice


def register_tasks(celery_app):
    @celery_app.task(bind=True, name="billing.send_invoice", shared=False)
    def send_invoice_task(self, invoice_id):
        log = JobLog(self.request.id)
        log.attempt()
        try:
            return send_invoice(invoice_id)
        except PartnerUnavailable as exc:
            limit = current_app.config["MAX_RETRIES"]
            countdown = get_exponential_backoff_interval(
                factor=current_app.config["RETRY_BACKOFF"], retries=self.request.retries, maximum=3600
            )
            if self.request.retries < limit:
                log.waiting(countdown)
            # past the limit, retry() raises exc itself: the task fails with the partner's error
            raise self.retry(exc=exc, countdown=countdown, max_retries=limit)

    return send_invoice_task
