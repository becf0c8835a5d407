"""Fraud rules, checked before a payment reaches the provider: each rule that fires adds to a risk
score and names a reason; the score decides allow, review (confirmed, flagged for a person) or
block (saved as blocked, never sent to the provider)."""
import ipaddress
from datetime import datetime, timedelta, timezone

from flask import Blueprint, current_app, jsonify
from sqlalchemy import func

from models import Payment, RiskAssessment, db

bp = Blueprint("fraud", __name__, url_prefix="/api")

WEIGHTS = {"blocked_customer": 100, "blocked_ip": 100, "velocity": 50, "amount_over_limit": 40, "country_mismatch": 30}
BLOCK_SCORE, REVIEW_SCORE = 80, 30


def now():
    """The app's clock (config CLOCK, injectable), as the naive UTC datetimes the database stores."""
    return datetime.fromtimestamp(current_app.config["CLOCK"](), timezone.utc).replace(tzinfo=None)


def country_of(ip):
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return None
    for network, country in current_app.config["IP_COUNTRIES"].items():
        if address in ipaddress.ip_network(network):
            return country
    return None


def assess(customer, amount, billing_country, ip):
    """(score, decision, reasons) for a payment about to be made."""
    config = current_app.config
    reasons = []
    blocklist = set(config["FRAUD_BLOCKLIST"])
    if customer in blocklist:
        reasons.append("blocked_customer")
    if ip and ip in blocklist:
        reasons.append("blocked_ip")
    since = now() - timedelta(seconds=config["FRAUD_VELOCITY_WINDOW"])
    recent = db.session.scalar(db.select(func.count(Payment.id)).where(
        Payment.customer == customer, Payment.created_at > since))
    if recent > config["FRAUD_VELOCITY_LIMIT"]:  # this payment included
        reasons.append("velocity")
    if amount > config["FRAUD_AMOUNT_LIMIT"]:
        reasons.append("amount_over_limit")
    ip_country = country_of(ip)
    if billing_country and ip_country and billing_country != ip_country:
        reasons.append("country_mismatch")
    score = sum(WEIGHTS[r] for r in reasons)
    decision = "block" if score >= BLOCK_SCORE else "review" if score >= REVIEW_SCORE else "allow"
    return score, decision, reasons


@bp.get("/payments/<int:payment_id>/risk")
def payment_risk(payment_id):
    risk = db.session.get(RiskAssessment, payment_id)
    if risk is None:
        return jsonify(error=f"No payment {payment_id}"), 404
    return jsonify(risk.to_dict())
