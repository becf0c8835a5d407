"""The ledger: one row per money movement of a payment (authorization, capture, refund), amounts
in integer cents. Balances are sums of the ledger, never numbers kept on the side.

TODO (see the brief's numbered requirements):
- a Transaction model in models.py: payment_id, kind, status, amount (integer cents), currency
- record_transaction(payment, kind, status, amount): add one row (payments.py calls it after the
  provider answered: authorization + capture for a succeeded payment, a failed authorization for
  a declined one)
- GET /api/transactions: filters payment_id, kind, status, currency; page and per_page
- GET /api/balance: per currency, captured, refunded and net, integers
"""
from flask import Blueprint

bp = Blueprint("ledger", __name__, url_prefix="/api")
