"""Fraud rules, checked before a payment reaches the provider.

TODO (see the brief's numbered requirements):
- assess(customer, amount, billing_country, ip) -> (score, decision, reasons) with the rules
  blocklist (+100), velocity (+50), amount over the limit (+40), country mismatch (+30);
  decision "block" from 80, "review" from 30, else "allow"
- a RiskAssessment model in models.py (payment_id, score, decision, reasons), stored for every payment
- in payments.py: a blocked payment is saved as "blocked", never sent to the provider: 402
- GET /api/payments/<id>/risk
"""
from flask import Blueprint

bp = Blueprint("fraud", __name__, url_prefix="/api")
