"""/api/payments as class-based views (MethodView); idempotency handled in the view."""
import hashlib
import re

from flask import Blueprint, jsonify, request
from flask.views import MethodView
from sqlalchemy.exc import IntegrityError

from models import IdempotencyKey, Payment, db
from pci import holds_card_number
from provider import Declined, ProviderUnavailable, confirm_intent

bp = Blueprint("payments", __name__, url_prefix="/api")

TOKEN = re.compile(r"pm_[A-Za-z0-9_]{1,60}")


def error(message, status, **extra):
    return jsonify(error=message, **extra), status


def problem_with(body):
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    amount = body.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= 99_999_999:
        return "amount: an integer number of cents, 1 to 99999999"
    if body.get("currency") not in ("eur", "usd", "gbp"):
        return "currency: eur, usd or gbp"
    method = body.get("payment_method")
    if not isinstance(method, str) or not TOKEN.fullmatch(method):
        return "payment_method: a provider token such as pm_card_visa"
    customer = body.get("customer")
    if not isinstance(customer, str) or not customer.strip() or len(customer) > 64:
        return "customer: 1 to 64 characters"
    return None


class PaymentList(MethodView):
    def post(self):
        body = request.get_json(silent=True)
        if body is not None and holds_card_number(body):
            return error("Never send card numbers: send the provider's token of the card (pm_...)", 422)
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if not key or len(key) > 255:
            return error("The Idempotency-Key header is required", 400)
        fingerprint = hashlib.sha256(b"POST /api/payments\0" + request.get_data()).hexdigest()
        record = db.session.get(IdempotencyKey, key)
        if record is not None:
            if record.request_hash != fingerprint:
                return error("Idempotency-Key reused with a different request", 422)
            if record.status_code is not None:
                return record.response_body, record.status_code, {"Content-Type": "application/json"}
        else:
            record = IdempotencyKey(key=key, request_hash=fingerprint)
            db.session.add(record)
            try:
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                return error("The same Idempotency-Key is being processed", 409)

        payment = db.session.get(Payment, record.payment_id) if record.payment_id else None
        if payment is None:
            problem = problem_with(body)
            if problem:
                return self.remember(record, error(problem, 400))
            payment = Payment(customer=body["customer"].strip(), amount=body["amount"],
                              currency=body["currency"], payment_method=body["payment_method"])
            db.session.add(payment)
            db.session.flush()
            record.payment_id = payment.id
            db.session.commit()
        if payment.status == "requires_confirmation":
            try:
                intent = confirm_intent(payment.amount, payment.currency, payment.payment_method, f"pay_{payment.id}")
            except Declined as declined:
                payment.status, payment.failure_code, payment.provider_id = "failed", declined.code, declined.intent_id
            except ProviderUnavailable as e:
                return error(f"The payment provider failed ({e}); retry with the same Idempotency-Key", 502,
                             payment=payment.to_dict())
            else:
                payment.provider_id = intent["id"]
                payment.status = "succeeded" if intent.get("status") == "succeeded" else "failed"
                payment.failure_code = None if payment.status == "succeeded" else intent.get("status")
            db.session.commit()
        return self.remember(record, (jsonify(payment.to_dict()), 201))

    @staticmethod
    def remember(record, result):
        response, status = result
        record.status_code, record.response_body = status, response.get_data(as_text=True)
        db.session.commit()
        return response, status


class PaymentItem(MethodView):
    def get(self, payment_id):
        payment = db.session.get(Payment, payment_id)
        if payment is None:
            return error("payment not found", 404)
        return jsonify(payment.to_dict())


bp.add_url_rule("/payments", view_func=PaymentList.as_view("payment_list"))
bp.add_url_rule("/payments/<int:payment_id>", view_func=PaymentItem.as_view("payment_item"))
