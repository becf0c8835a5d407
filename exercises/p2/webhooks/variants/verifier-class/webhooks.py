"""Provider webhooks as a MethodView; a SignatureVerifier object and a registry of event handlers.
The event id is inserted first (flush): the primary key itself rejects a duplicate."""
import hashlib
import hmac
import json

from flask import Blueprint, current_app, jsonify, request
from flask.views import MethodView
from sqlalchemy.exc import IntegrityError

from ledger import record_transaction
from models import Payment, Transaction, WebhookEvent, db

bp = Blueprint("webhooks", __name__)


class SignatureVerifier:
    def __init__(self, secret, tolerance, clock):
        self.secret, self.tolerance, self.clock = secret.encode(), tolerance, clock

    def parse(self, header):
        pairs = [item.split("=", 1) for item in (header or "").split(",") if "=" in item]
        stamps = [v for k, v in pairs if k.strip() == "t" and v.strip().isdigit()]
        signatures = [v.strip() for k, v in pairs if k.strip() == "v1"]
        if len(stamps) != 1 or not signatures:
            raise ValueError("malformed Provider-Signature header")
        return int(stamps[0]), signatures

    def check(self, header, payload):
        t, signatures = self.parse(header)
        digest = hmac.new(self.secret, b"%d." % t + payload, hashlib.sha256).hexdigest()
        if not any(hmac.compare_digest(digest.encode(), s.encode()) for s in signatures):
            raise ValueError("signature mismatch")
        if abs(self.clock() - t) > self.tolerance:
            raise ValueError("timestamp outside the tolerance")


HANDLERS = {}


def handles(event_type):
    def register(function):
        HANDLERS[event_type] = function
        return function
    return register


def payment_for(intent_id, created):
    payment = Payment.query.filter_by(provider_id=intent_id).first() if intent_id else None
    if payment is None or (payment.last_event_at or 0) > created:
        return None
    payment.last_event_at = created
    return payment


@handles("payment_intent.succeeded")
def on_succeeded(obj, created):
    payment = payment_for(obj.get("id"), created)
    if payment is not None and payment.status in {"failed", "requires_confirmation"}:
        payment.status, payment.failure_code = "succeeded", None
        for kind in ("authorization", "capture"):
            record_transaction(payment, kind, "succeeded", payment.amount, payment.provider_id)


@handles("payment_intent.payment_failed")
def on_failed(obj, created):
    payment = payment_for(obj.get("id"), created)
    if payment is not None and payment.status in {"failed", "requires_confirmation"}:
        payment.status = "failed"
        payment.failure_code = (obj.get("last_payment_error") or {}).get("code") or "payment_failed"


@handles("charge.refunded")
def on_refunded(obj, created):
    payment = payment_for(obj.get("payment_intent"), created)
    if payment is None or payment.status not in {"succeeded", "partially_refunded"}:
        return
    seen = {t.provider_id for t in Transaction.query.filter_by(payment_id=payment.id, kind="refund")}
    new = [r for r in obj.get("refunds") or [] if isinstance(r, dict) and r.get("id") not in seen
           and type(r.get("amount")) is int and r["amount"] > 0]
    for refund in new:
        record_transaction(payment, "refund", "succeeded", refund["amount"], refund["id"])
    if new:
        payment.refund_reserved = Payment.refund_reserved + sum(r["amount"] for r in new)
        db.session.flush()
        refunded, captured = payment.total("refund"), payment.total("capture")
        payment.status = "refunded" if refunded >= captured else "partially_refunded"


class ProviderWebhook(MethodView):
    def post(self):
        config = current_app.config
        verifier = SignatureVerifier(config["PROVIDER_WEBHOOK_SECRET"], config["WEBHOOK_TOLERANCE"], config["CLOCK"])
        payload = request.get_data()
        try:
            verifier.check(request.headers.get("Provider-Signature"), payload)
        except ValueError as e:
            return jsonify(error=f"webhook refused: {e}"), 400
        try:
            event = json.loads(payload)
            valid = (isinstance(event.get("id"), str) and isinstance(event.get("type"), str)
                     and type(event.get("created")) is int and isinstance(event.get("data", {}).get("object"), dict))
        except (ValueError, AttributeError):
            valid = False
        if not valid:
            return jsonify(error="not an event"), 400
        try:
            db.session.add(WebhookEvent(id=event["id"], type=event["type"], created=event["created"]))
            db.session.flush()  # the primary key refuses an event id seen before
        except IntegrityError:
            db.session.rollback()
            return jsonify(received=True, duplicate=True)
        handler = HANDLERS.get(event["type"])
        if handler:
            handler(event["data"]["object"], event["created"])
        db.session.commit()
        return jsonify(received=True, duplicate=False)


bp.add_url_rule("/webhooks/provider", view_func=ProviderWebhook.as_view("provider_webhook"))
