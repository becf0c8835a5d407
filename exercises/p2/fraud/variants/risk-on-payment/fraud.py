"""The fraud screen as a class configured once per request; the verdict is written on the payment."""
import ipaddress
from datetime import datetime, timedelta, timezone

from flask import Blueprint, current_app, jsonify

from models import Payment, db

bp = Blueprint("fraud", __name__, url_prefix="/api")


def now():
    return datetime.fromtimestamp(current_app.config["CLOCK"](), timezone.utc).replace(tzinfo=None)


class Screen:
    WEIGHTS = {"blocked_customer": 100, "blocked_ip": 100, "velocity": 50, "amount_over_limit": 40, "country_mismatch": 30}

    def __init__(self, limit, window, max_amount, blocklist, ip_countries):
        self.limit, self.window, self.max_amount = limit, timedelta(seconds=window), max_amount
        self.blocklist = frozenset(blocklist)
        self.networks = [(ipaddress.ip_network(net), country) for net, country in ip_countries.items()]

    @classmethod
    def from_config(cls):
        c = current_app.config
        return cls(c["FRAUD_VELOCITY_LIMIT"], c["FRAUD_VELOCITY_WINDOW"], c["FRAUD_AMOUNT_LIMIT"],
                   c["FRAUD_BLOCKLIST"], c["IP_COUNTRIES"])

    def country(self, ip):
        try:
            address = ipaddress.ip_address(ip)
        except (TypeError, ValueError):
            return None
        return next((country for net, country in self.networks if address in net), None)

    def reasons(self, payment, ip):
        if payment.customer in self.blocklist:
            yield "blocked_customer"
        if ip in self.blocklist:
            yield "blocked_ip"
        times = db.session.scalars(db.select(Payment.created_at).where(Payment.customer == payment.customer)).all()
        if sum(1 for t in times if t > payment.created_at - self.window) >= self.limit:
            yield "velocity"
        if payment.amount > self.max_amount:
            yield "amount_over_limit"
        where = self.country(ip)
        if payment.billing_country and where and where != payment.billing_country:
            yield "country_mismatch"

    def apply(self, payment, ip):
        reasons = list(self.reasons(payment, ip))
        payment.risk_score = sum(self.WEIGHTS[r] for r in reasons)
        payment.risk_reasons = reasons
        payment.risk_decision = ("block" if payment.risk_score >= 80 else
                                 "review" if payment.risk_score >= 30 else "allow")
        payment.status = "blocked" if payment.risk_decision == "block" else "requires_confirmation"


@bp.get("/payments/<int:payment_id>/risk")
def payment_risk(payment_id):
    payment = db.session.get(Payment, payment_id)
    if payment is None or payment.risk_decision is None:
        return jsonify(error="no such payment"), 404
    return jsonify(payment_id=payment.id, score=payment.risk_score, decision=payment.risk_decision,
                   reasons=list(payment.risk_reasons))
