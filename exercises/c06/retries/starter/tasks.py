"""The invoice task. TODO: requirements 2-5."""
from celery import shared_task

import partner


@shared_task(bind=True, name="billing.send_invoice")
def send_invoice(self, invoice_id):
    # TODO: count the attempt, call the partner, retry with backoff, give up
    return partner.send_invoice(invoice_id)
