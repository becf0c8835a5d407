"""POST /webhooks/provider: events from the payment provider, signed, each processed once.

The signature is checked on the raw bytes of the body (never on re-serialised JSON), compared in
constant time, and bound to a timestamp so that a captured request cannot be replayed later.
"""
import hashlib
import hmac
import json

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy.exc import IntegrityError

from ledger import record_transaction
from models import Payment, Transaction, WebhookEvent, db

bp = Blueprint("webhooks", __name__)

HEADER = "Provider-Signature"


class BadSignature(Exception):
    pass


def verify(raw, header, secret, now, tolerance):
    """Check `t=<ts>,v1=<hex>[,v1=<hex>...]`; answers the timestamp or raises BadSignature."""
    timestamp, signatures = None, []
    for part in (header or "").split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise BadSignature(f"{HEADER} must look like t=<unix time>,v1=<hex signature>")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise BadSignature("the signature does not match the body")
    if abs(now - timestamp) > tolerance:
        raise BadSignature(f"the signature's timestamp is more than {tolerance} seconds away from now")
    return timestamp


@bp.post("/webhooks/provider")
def provider_webhook():
    raw = request.get_data()
    config = current_app.config
    try:
        verify(raw, request.headers.get(HEADER), config["PROVIDER_WEBHOOK_SECRET"], config["CLOCK"](),
               config["WEBHOOK_TOLERANCE"])
    except BadSignature as e:
        return jsonify(error=str(e)), 400
    try:
        event = json.loads(raw)
        event_id, event_type, created = event["id"], event["type"], event["created"]
        data = event["data"]["object"]
        if not (isinstance(event_id, str) and isinstance(event_type, str) and type(created) is int and isinstance(data, dict)):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return jsonify(error="an event is {id, type, created, data: {object}}"), 400

    if db.session.get(WebhookEvent, event_id) is not None:
        return jsonify(received=True, duplicate=True)
    db.session.add(WebhookEvent(id=event_id, type=event_type, created=created))
    handler = HANDLERS.get(event_type)
    if handler is not None:
        handler(data, created)
    try:
        db.session.commit()  # the event's id and its effects together: processed once, or not at all
    except IntegrityError:  # the same event delivered twice at the same moment
        db.session.rollback()
        return jsonify(received=True, duplicate=True)
    return jsonify(received=True, duplicate=False)


def _payment(intent_id, created):
    """The payment of a provider intent, unless unknown or the event is older than its last one."""
    payment = db.session.scalar(db.select(Payment).where(Payment.provider_id == intent_id)) if intent_id else None
    if payment is None or (payment.last_event_at is not None and created < payment.last_event_at):
        return None
    payment.last_event_at = created
    return payment


def intent_succeeded(intent, created):
    payment = _payment(intent.get("id"), created)
    if payment is None or payment.status not in ("requires_confirmation", "failed"):
        return
    payment.status, payment.failure_code = "succeeded", None
    record_transaction(payment, "authorization", "succeeded", payment.amount, payment.provider_id)
    record_transaction(payment, "capture", "succeeded", payment.amount, payment.provider_id)


def intent_failed(intent, created):
    payment = _payment(intent.get("id"), created)
    if payment is None or payment.status not in ("requires_confirmation", "failed"):
        return
    error = intent.get("last_payment_error") or {}
    payment.status, payment.failure_code = "failed", error.get("code") or "payment_failed"


def charge_refunded(charge, created):
    payment = _payment(charge.get("payment_intent"), created)
    if payment is None or payment.status not in ("succeeded", "partially_refunded"):
        return
    known = set(db.session.scalars(db.select(Transaction.provider_id).where(
        Transaction.payment_id == payment.id, Transaction.kind == "refund")))
    added = 0
    for refund in charge.get("refunds") or []:
        amount = refund.get("amount") if isinstance(refund, dict) else None
        if not isinstance(refund, dict) or refund.get("id") in known or type(amount) is not int or amount < 1:
            continue
        record_transaction(payment, "refund", "succeeded", amount, refund["id"])
        known.add(refund["id"])
        added += amount
    if added:  # an UPDATE ... SET refund_reserved = refund_reserved + :added, not a read-modify-write
        payment.refund_reserved = Payment.refund_reserved + added
    db.session.flush()
    if payment.total("refund"):
        payment.status = "refunded" if payment.total("refund") >= payment.total("capture") else "partially_refunded"


HANDLERS = {
    "payment_intent.succeeded": intent_succeeded,
    "payment_intent.payment_failed": intent_failed,
    "charge.refunded": charge_refunded,
}
