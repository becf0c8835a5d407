from celery import Task

import partner
from redis_conn import get_redis

# what to do with each partner error
RETRYABLE = (partner.PartnerUnavailable,)


class SendInvoice(Task):
    name = "billing.send_invoice"
    flask_app = None

    def __call__(self, *args, **kwargs):
        with self.flask_app.app_context():
            return self.run(*args, **kwargs)

    def backoff(self, retries):
        return self.flask_app.config["RETRY_BACKOFF"] * (2 ** retries)

    def run(self, invoice_id):
        key = "job:%s" % self.request.id
        redis = get_redis()
        redis.hincrby(key, "attempts", 1)
        try:
            return partner.send_invoice(invoice_id)
        except RETRYABLE as exc:
            retries, limit = self.request.retries, self.flask_app.config["MAX_RETRIES"]
            if retries == limit:
                raise
            wait = self.backoff(retries)
            redis.rpush(key + ":delays", wait)
            raise self.retry(exc=exc, countdown=wait, max_retries=limit)
