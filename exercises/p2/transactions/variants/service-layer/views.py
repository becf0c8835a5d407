"""HTTP only: read the request, call the service, write the answer."""
from flask import Blueprint, jsonify, request

from models import Payment
from services import LedgerService, PaymentService, ServiceError

bp = Blueprint("payments", __name__, url_prefix="/api/payments")
ledger_bp = Blueprint("ledger", __name__, url_prefix="/api")


@bp.errorhandler(ServiceError)
@ledger_bp.errorhandler(ServiceError)
def service_error(e):
    return jsonify(error=e.message, **e.extra), e.status


@ledger_bp.get("/transactions")
def transactions():
    return jsonify(LedgerService().search(request.args))


@ledger_bp.get("/balance")
def balance():
    return jsonify(LedgerService().balance())


@bp.post("")
def create():
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 255:
        raise ServiceError(400, "Idempotency-Key header required")
    status, text = PaymentService.current().pay(key, request.get_data(), request.get_json(silent=True))
    return text, status, {"Content-Type": "application/json"}


@bp.get("/<int:payment_id>")
def show(payment_id):
    payment = Payment.query.get(payment_id)
    if payment is None:
        raise ServiceError(404, "No such payment")
    return jsonify(payment.to_dict())
