"""Provider webhooks: a @signed_by_provider decorator guards the view; the events table itself
answers "is this event older than the last one applied to the payment?" (no column on Payment)."""
import functools
import hashlib
import hmac
import json

from flask import Blueprint, abort, current_app, g, jsonify, request
from sqlalchemy import func

from ledger import record_transaction
from models import Payment, WebhookEvent, db

bp = Blueprint("webhooks", __name__)


@bp.errorhandler(400)
def refused(e):
    return jsonify(error=e.description), 400


def signed_by_provider(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        fields = {}
        for item in request.headers.get("Provider-Signature", "").split(","):
            key, sep, value = item.strip().partition("=")
            if sep:
                fields.setdefault(key, []).append(value)
        stamp = (fields.get("t") or [""])[0]
        if not stamp.isdigit() or not fields.get("v1"):
            abort(400, "Provider-Signature: t=<unix time>,v1=<signature> expected")
        signed = stamp.encode() + b"." + request.get_data()
        secret = current_app.config["PROVIDER_WEBHOOK_SECRET"].encode()
        wanted = hmac.new(secret, signed, hashlib.sha256).hexdigest()
        if not any(hmac.compare_digest(wanted, v) for v in fields["v1"]):
            abort(400, "bad signature")
        if abs(current_app.config["CLOCK"]() - int(stamp)) > current_app.config["WEBHOOK_TOLERANCE"]:
            abort(400, "signature too old or from the future")
        return view(*args, **kwargs)
    return wrapper


def fresh_payment(intent_id):
    """The payment, unless an event created later than this one was already applied to it."""
    payment = db.session.scalar(db.select(Payment).filter_by(provider_id=intent_id)) if intent_id else None
    if payment is None:
        return None
    newest = db.session.scalar(db.select(func.max(WebhookEvent.created)).where(WebhookEvent.payment_id == payment.id))
    if newest is not None and g.event["created"] < newest:
        return None
    g.record.payment_id = payment.id
    return payment


def apply(event):
    obj = event["data"]["object"]
    if event["type"] in ("payment_intent.succeeded", "payment_intent.payment_failed"):
        payment = fresh_payment(obj.get("id"))
        if payment is None or payment.status not in ("failed", "requires_confirmation"):
            return
        if event["type"] == "payment_intent.succeeded":
            payment.status, payment.failure_code = "succeeded", None
            record_transaction(payment, "authorization", "succeeded", payment.amount, payment.provider_id)
            record_transaction(payment, "capture", "succeeded", payment.amount, payment.provider_id)
        else:
            payment.status = "failed"
            payment.failure_code = (obj.get("last_payment_error") or {}).get("code") or "payment_failed"
    elif event["type"] == "charge.refunded":
        payment = fresh_payment(obj.get("payment_intent"))
        if payment is None or payment.status not in ("succeeded", "partially_refunded"):
            return
        have = {t.provider_id for t in payment.transactions if t.kind == "refund"}
        total = 0
        for refund in obj.get("refunds") or []:
            if isinstance(refund, dict) and refund.get("id") not in have and type(refund.get("amount")) is int and refund["amount"] > 0:
                record_transaction(payment, "refund", "succeeded", refund["amount"], refund["id"])
                have.add(refund["id"])
                total += refund["amount"]
        if total:
            payment.refund_reserved = Payment.refund_reserved + total
            db.session.flush()
            payment.status = "refunded" if payment.total("refund") >= payment.total("capture") else "partially_refunded"


@bp.post("/webhooks/provider")
@signed_by_provider
def provider_webhook():
    event = request.get_json(silent=True)
    if not (isinstance(event, dict) and isinstance(event.get("id"), str) and isinstance(event.get("type"), str)
            and type(event.get("created")) is int and isinstance((event.get("data") or {}).get("object"), dict)):
        abort(400, "not a provider event")
    if db.session.get(WebhookEvent, event["id"]):
        return jsonify(received=True, duplicate=True)
    g.event = event
    g.record = WebhookEvent(id=event["id"], type=event["type"], created=event["created"])
    db.session.add(g.record)
    apply(event)
    db.session.commit()
    return jsonify(received=True, duplicate=False)
