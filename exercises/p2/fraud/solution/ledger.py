"""The ledger: one row per money movement of a payment (authorization, capture, refund), amounts
in integer cents. Balances are sums of the ledger, never numbers kept on the side."""
from flask import Blueprint, jsonify, request
from sqlalchemy import case, func

from models import KINDS, TRANSACTION_STATUSES, Transaction, db

bp = Blueprint("ledger", __name__, url_prefix="/api")

MAX_PER_PAGE = 100


def record_transaction(payment, kind, status, amount, provider_id=None):
    """Append one transaction to the payment's ledger (committed with the caller's change)."""
    transaction = Transaction(payment=payment, kind=kind, status=status, amount=amount,
                              currency=payment.currency, provider_id=provider_id)
    db.session.add(transaction)
    return transaction


def _positive_int(name, default, maximum=None):
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1 or (maximum and int(raw) > maximum):
        raise ValueError(f"{name} must be an integer from 1{f' to {maximum}' if maximum else ''}")
    return int(raw)


@bp.get("/transactions")
def list_transactions():
    try:
        page = _positive_int("page", 1)
        per_page = _positive_int("per_page", 20, MAX_PER_PAGE)
        payment_id = _positive_int("payment_id", None)
    except ValueError as e:
        return jsonify(error=str(e)), 400
    query = db.select(Transaction)
    if payment_id is not None:
        query = query.where(Transaction.payment_id == payment_id)
    for name, allowed in (("kind", KINDS), ("status", TRANSACTION_STATUSES), ("currency", None)):
        value = request.args.get(name)
        if value is None:
            continue
        if allowed and value not in allowed:
            return jsonify(error=f"{name} must be one of {list(allowed)}"), 400
        query = query.where(getattr(Transaction, name) == value)
    total = db.session.scalar(db.select(func.count()).select_from(query.subquery()))
    items = db.session.scalars(query.order_by(Transaction.id).limit(per_page).offset((page - 1) * per_page)).all()
    return jsonify(items=[t.to_dict() for t in items], page=page, per_page=per_page, total=total)


@bp.get("/balance")
def balance():
    """Per currency: what was captured, what was refunded, and the net, summed by the database."""
    def summed(kind):
        return func.coalesce(func.sum(case((Transaction.kind == kind, Transaction.amount), else_=0)), 0)

    rows = db.session.execute(
        db.select(Transaction.currency, summed("capture"), summed("refund"))
        .where(Transaction.status == "succeeded")
        .group_by(Transaction.currency)
        .order_by(Transaction.currency)
    ).all()
    # SUM comes back as Decimal on PostgreSQL: int() keeps every amount integer cents in the JSON.
    currencies = {currency: {"captured": int(captured), "refunded": int(refunded), "net": int(captured) - int(refunded)}
                  for currency, captured, refunded in rows}
    return jsonify(currencies=currencies)
