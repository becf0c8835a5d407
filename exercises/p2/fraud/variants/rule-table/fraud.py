"""Fraud rules as data: a table of (name, weight, predicate); the risk view is a MethodView."""
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import Blueprint, abort, current_app, jsonify
from flask.views import MethodView

from models import Payment, RiskAssessment

bp = Blueprint("fraud", __name__, url_prefix="/api")


def now():
    return datetime.fromtimestamp(current_app.config["CLOCK"](), timezone.utc).replace(tzinfo=None)


@dataclass
class Attempt:
    customer: str
    amount: int
    billing_country: str
    ip: str


def _ip_country(ip):
    try:
        address = ipaddress.ip_address(ip)
    except (TypeError, ValueError):
        return None
    return next((c for net, c in current_app.config["IP_COUNTRIES"].items() if address in ipaddress.ip_network(net)), None)


def _velocity(a):
    config = current_app.config
    since = now() - timedelta(seconds=config["FRAUD_VELOCITY_WINDOW"])
    return Payment.query.filter(Payment.customer == a.customer, Payment.created_at > since).count() >= config["FRAUD_VELOCITY_LIMIT"]


RULES = [
    ("blocked_customer", 100, lambda a: a.customer in current_app.config["FRAUD_BLOCKLIST"]),
    ("blocked_ip", 100, lambda a: bool(a.ip) and a.ip in current_app.config["FRAUD_BLOCKLIST"]),
    ("velocity", 50, _velocity),
    ("amount_over_limit", 40, lambda a: a.amount > current_app.config["FRAUD_AMOUNT_LIMIT"]),
    ("country_mismatch", 30, lambda a: bool(a.billing_country) and _ip_country(a.ip) not in (None, a.billing_country)),
]
DECISIONS = [(80, "block"), (30, "review"), (0, "allow")]


def assess(customer, amount, billing_country, ip):
    attempt = Attempt(customer, amount, billing_country, ip)
    fired = [(name, weight) for name, weight, rule in RULES if rule(attempt)]
    score = sum(weight for _name, weight in fired)
    decision = next(d for threshold, d in DECISIONS if score >= threshold)
    return score, decision, [name for name, _weight in fired]


class PaymentRisk(MethodView):
    def get(self, payment_id):
        risk = RiskAssessment.query.get(payment_id)
        if risk is None:
            abort(404)
        return jsonify(risk.to_dict())


@bp.errorhandler(404)
def not_found(e):
    return jsonify(error="no such payment"), 404


bp.add_url_rule("/payments/<int:payment_id>/risk", view_func=PaymentRisk.as_view("payment_risk"))
