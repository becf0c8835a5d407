"""POST /api/payments/<id>/refunds: full and partial refunds, at the provider, never more than
was captured.

TODO (see the brief's numbered requirements):
- the route, behind the Idempotency-Key decorator of stage 1 (idempotency.idempotent)
- the body: optional {"amount": integer cents}, by default what is left to refund
- 404 for an unknown payment, 409 when it cannot be refunded or the amount is more than is left
- reserve the amount atomically (one conditional UPDATE), so two refunds at once never refund
  more than was captured; give the reservation back when the provider fails (502)
- POST PROVIDER_URL/v1/refunds, then a refund transaction in the ledger and the payment's new
  status (partially_refunded or refunded); 201 with the payment
"""
from flask import Blueprint

bp = Blueprint("refunds", __name__, url_prefix="/api")
