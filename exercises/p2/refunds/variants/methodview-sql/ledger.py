"""The ledger's API as MethodViews, with Flask-SQLAlchemy's paginate() and legacy Model.query."""
from flask import Blueprint, abort, jsonify, request
from flask.views import MethodView

from models import KINDS, TRANSACTION_STATUSES, Transaction, db

bp = Blueprint("ledger", __name__, url_prefix="/api")


def record_transaction(payment, kind, status, amount, provider_id=None):
    payment.transactions.append(Transaction(kind=kind, status=status, amount=amount,
                                            currency=payment.currency, provider_id=provider_id))


@bp.errorhandler(400)
def bad_request(e):
    return jsonify(error=e.description), 400


def arg_int(name, default, low=1, high=None):
    value = request.args.get(name, default, type=str)
    try:
        number = int(value)
    except (TypeError, ValueError):
        abort(400, f"{name}: an integer, got {value!r}")
    if number < low or (high is not None and number > high):
        abort(400, f"{name}: from {low}" + (f" to {high}" if high else ""))
    return number


class TransactionList(MethodView):
    def get(self):
        page, per_page = arg_int("page", 1), arg_int("per_page", 20, high=100)
        filters = {}
        if "payment_id" in request.args:
            filters["payment_id"] = arg_int("payment_id", None)
        for name, allowed in (("kind", KINDS), ("status", TRANSACTION_STATUSES)):
            if name in request.args:
                if request.args[name] not in allowed:
                    abort(400, f"{name}: one of {', '.join(allowed)}")
                filters[name] = request.args[name]
        if "currency" in request.args:
            filters["currency"] = request.args["currency"]
        found = Transaction.query.filter_by(**filters).order_by(Transaction.id).paginate(
            page=page, per_page=per_page, error_out=False)
        return jsonify(items=[t.to_dict() for t in found.items], page=page, per_page=per_page, total=found.total)


class Balance(MethodView):
    def get(self):
        totals = {}
        rows = (db.session.query(Transaction.currency, Transaction.kind, db.func.sum(Transaction.amount))
                .filter(Transaction.status == "succeeded", Transaction.kind.in_(("capture", "refund")))
                .group_by(Transaction.currency, Transaction.kind).all())
        for currency, kind, amount in rows:
            entry = totals.setdefault(currency, {"captured": 0, "refunded": 0, "net": 0})
            entry["captured" if kind == "capture" else "refunded"] += int(amount)
        for entry in totals.values():
            entry["net"] = entry["captured"] - entry["refunded"]
        return jsonify(currencies=dict(sorted(totals.items())))


bp.add_url_rule("/transactions", view_func=TransactionList.as_view("transactions"))
bp.add_url_rule("/balance", view_func=Balance.as_view("balance"))
