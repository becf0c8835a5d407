"""p2 demo: the Payment Processing Service of Part 2, as a Flask-RESTX API, with a stand-in provider inside.

- A stand-in payment provider (think Stripe), mounted under /provider/v1 in the same app and reached over
  HTTP like a real one: Bearer API key, payment intents and their state machine, card tokens, refunds,
  signed webhooks. It keeps its state in memory. Nothing leaves 127.0.0.1.
- Payment intents: POST /api/payments creates the intent at the provider and answers its client_secret;
  POST /api/payments/<id>/confirm confirms it with a card token (pm_card_visa, ...). Card numbers never reach
  /api: a body holding card data is refused, the service stores the token's brand, last4 and country only.
- Idempotency-Key on every POST under /api: the same key and the same request replay the first answer
  (Idempotent-Replayed: true), the same key with another request is 422, one still running is 409.
- Money in integer cents; a double-entry ledger: each charge or refund is a transaction of two entries
  that sum to zero (GET /api/ledger/balances says whether the books balance).
- Refunds, full or partial, never more than was paid, safe under concurrent requests (one conditional
  UPDATE reserves the amount).
- Webhooks: the stand-in signs every event (Provider-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of
  "<t>.<body>">); POST /api/webhooks/provider checks the signature, a 300-second tolerance and the event id
  (each event is applied once).
- Fraud rules (the weights and thresholds of stage 5): amount, velocity per e-mail, card country against
  billing country, blocklists; a risk score 0-100 and allow / review / block before the provider charges.

Every start is fresh on SQLite (a new file in the temporary directory, removed at exit, its path printed at
start); DATABASE_URL names another database (postgresql://... with psycopg installed), where the tables are
created if missing.

Run:  flask --app app run --port 5001   then open http://127.0.0.1:5001/swagger
"""
import atexit
import hashlib
import hmac
import json
import os
import re
import secrets
import signal
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from functools import wraps

from flask import Flask, current_app, g, request
from flask_restx import Api, Namespace, Resource, abort, fields
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()

CURRENCIES = {"eur", "usd", "gbp"}
MAX_AMOUNT = 99_999_999  # cents: 999,999.99
CARD_KEYS = {"card", "card_number", "number", "cvc", "cvv", "pan", "exp_month", "exp_year"}
SIGNATURE_TOLERANCE = 300  # seconds


def now():
    return datetime.now(timezone.utc).replace(tzinfo=None)  # stored as naive UTC on every database


class PaymentRequired(HTTPException):
    code = 402  # Werkzeug has no exception for 402
    description = "Payment Required"


def error(status, message, **extra):
    """Stops the request with a JSON answer {"message": ..., **extra}."""
    if status == 402:
        exc = PaymentRequired(message)
        exc.data = {"message": message, **extra}
        raise exc
    abort(status, message, **extra)


# ================================================================ the stand-in provider (in memory)

TEST_CARDS = {  # number -> (brand, country, outcome); the numbers are Stripe's public test numbers
    "4242424242424242": ("visa", "US", "succeeded"),
    "4000008260000000": ("visa", "GB", "succeeded"),
    "5555555555554444": ("mastercard", "DE", "succeeded"),
    "4000000000000002": ("visa", "US", "card_declined"),
    "4000000000009995": ("visa", "US", "insufficient_funds"),
}
TEST_TOKENS = {  # the ready-made tokens, as Stripe's pm_card_visa ...
    "pm_card_visa": "4242424242424242",
    "pm_card_gb": "4000008260000000",
    "pm_card_mastercard": "5555555555554444",
    "pm_card_chargeDeclined": "4000000000000002",
    "pm_card_chargeDeclinedInsufficientFunds": "4000000000009995",
}


class StandInProvider:
    """What a payment provider does, in memory: tokens, intents, refunds, signed webhook events."""

    def __init__(self, api_key, webhook_secret):
        self.api_key, self.webhook_secret = api_key, webhook_secret
        self.lock = threading.Lock()
        self.tokens, self.intents, self.refunds, self.events, self.replies = {}, {}, {}, {}, {}
        for token, number in TEST_TOKENS.items():
            self.tokens[token] = self._card(number)

    @staticmethod
    def _card(number):
        brand, country, outcome = TEST_CARDS[number]
        # the fingerprint identifies a card across tokens without revealing it (a keyed hash at a real provider)
        fingerprint = hashlib.sha256(f"p2-demo:{number}".encode()).hexdigest()[:16]
        return {"brand": brand, "last4": number[-4:], "country": country, "fingerprint": fingerprint,
                "outcome": outcome}

    @staticmethod
    def new_id(prefix):
        return f"{prefix}_{secrets.token_hex(8)}"

    def tokenize(self, number):
        number = "".join(ch for ch in str(number) if ch.isdigit())
        if number not in TEST_CARDS:
            return None
        token = self.new_id("pm")
        with self.lock:
            self.tokens[token] = self._card(number)
        return token

    def public_card(self, token):
        card = self.tokens.get(token)
        return None if card is None else {k: v for k, v in card.items() if k != "outcome"}

    def event(self, kind, obj):
        evt = {"id": self.new_id("evt"), "type": kind, "created": int(time.time()), "data": {"object": dict(obj)},
               "deliveries": []}
        with self.lock:
            self.events[evt["id"]] = evt
        return evt

    def sign(self, body, timestamp=None):
        t = int(time.time()) if timestamp is None else timestamp
        v1 = hmac.new(self.webhook_secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
        return f"t={t},v1={v1}"

    def deliver(self, evt, url, attempt=1):
        """POSTs the event, signed now; retried in the background (2 s, 4 s) on a 5xx or no answer."""
        body = json.dumps({k: v for k, v in evt.items() if k != "deliveries"}, separators=(",", ":")).encode()
        req = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json", "Provider-Signature": self.sign(body)})
        try:
            with urllib.request.urlopen(req, timeout=5) as res:
                status, answer = res.status, res.read().decode(errors="replace")
        except urllib.error.HTTPError as e:
            status, answer = e.code, e.read().decode(errors="replace")
        except (urllib.error.URLError, OSError) as e:
            status, answer = None, str(e)
        evt["deliveries"].append({"attempt": attempt, "url": url, "status": status, "at": int(time.time())})
        if (status is None or status >= 500) and attempt < 3:
            threading.Timer(2 ** attempt, self.deliver, (evt, url, attempt + 1)).start()
        return status, answer


provider_ns = Namespace("provider", description="The stand-in payment provider (in memory): what Stripe would be. "
                                                "The service calls it over HTTP with a Bearer API key.")


def the_provider():
    return current_app.extensions["p2_provider"]


def provider_auth(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {the_provider().api_key}".encode()):
            error(401, "invalid API key")
        return view(*args, **kwargs)
    return wrapped


def provider_idempotent(view):
    """The provider's own idempotency, as Stripe's: the same key and body answer the first result again."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if not key:
            return view(*args, **kwargs)
        p = the_provider()
        fingerprint = hashlib.sha256(request.path.encode() + b"\n" + request.get_data()).hexdigest()
        with p.lock:
            seen = p.replies.get(key)
        if seen:
            if seen[0] != fingerprint:
                error(400, "Keys for idempotent requests can only be used with the same parameters they were first used with")
            return seen[1], seen[2], {"Idempotent-Replayed": "true"}
        answer = view(*args, **kwargs)
        body, status = (answer if isinstance(answer, tuple) else (answer, 200))[:2]
        with p.lock:
            p.replies[key] = (fingerprint, body, status)
        return body, status
    return wrapped


def webhook_target():
    return current_app.config.get("PROVIDER_WEBHOOK_URL") or request.host_url + "api/webhooks/provider"


def intent_public(pi):
    return {k: v for k, v in pi.items() if not k.startswith("_")}


def find_intent(pid):
    pi = the_provider().intents.get(pid)
    if pi is None:
        error(404, f"No such payment_intent: {pid}")
    return pi


@provider_ns.route("/payment_methods")
class ProviderTokens(Resource):
    @provider_ns.doc(description="What the provider's script does in the customer's browser: the card number goes "
                                 "to the provider, the merchant gets a token back. Test numbers: 4242424242424242 "
                                 "(US), 4000008260000000 (GB), 5555555555554444 (DE), 4000000000000002 (declined), "
                                 "4000000000009995 (insufficient funds).")
    def post(self):
        data = request.get_json(silent=True) or {}
        card = data.get("card") if isinstance(data.get("card"), dict) else {}
        token = the_provider().tokenize(card.get("number", ""))
        if token is None:
            error(402, "Your card number is incorrect (use a test number)", code="incorrect_number")
        return {"id": token, "object": "payment_method", "type": "card", "card": the_provider().public_card(token)}, 200


@provider_ns.route("/payment_methods/<token>")
class ProviderToken(Resource):
    @provider_auth
    def get(self, token):
        card = the_provider().public_card(token)
        if card is None:
            error(404, f"No such PaymentMethod: {token}")
        return {"id": token, "object": "payment_method", "type": "card", "card": card}


@provider_ns.route("/payment_intents")
class ProviderIntents(Resource):
    @provider_auth
    @provider_idempotent
    def post(self):
        data = request.get_json(silent=True) or {}
        amount, currency = data.get("amount"), data.get("currency")
        if type(amount) is not int or amount < 1 or currency not in CURRENCIES:
            error(400, "amount must be a positive integer of minor units and currency one of " + ", ".join(sorted(CURRENCIES)))
        pid = the_provider().new_id("pi")
        pi = {"id": pid, "object": "payment_intent", "amount": amount, "currency": currency,
              "status": "requires_payment_method", "client_secret": f"{pid}_secret_{secrets.token_hex(12)}",
              "latest_charge": None, "last_payment_error": None, "amount_refunded": 0,
              "metadata": data.get("metadata") or {}, "created": int(time.time())}
        with the_provider().lock:
            the_provider().intents[pid] = pi
        return intent_public(pi), 200


@provider_ns.route("/payment_intents/<pid>")
class ProviderIntent(Resource):
    @provider_auth
    def get(self, pid):
        return intent_public(find_intent(pid))


@provider_ns.route("/payment_intents/<pid>/confirm")
class ProviderConfirm(Resource):
    @provider_auth
    @provider_idempotent
    def post(self, pid):
        p = the_provider()
        token = (request.get_json(silent=True) or {}).get("payment_method")
        with p.lock:
            pi = find_intent(pid)
            if pi["status"] not in ("requires_payment_method", "requires_confirmation"):
                error(400, f"This PaymentIntent's status is {pi['status']}: it cannot be confirmed")
            card = p.tokens.get(token)
            if card is None:
                error(400, f"No such payment_method: {token}")
            if card["outcome"] == "succeeded":
                pi.update(status="succeeded", latest_charge=p.new_id("ch"), last_payment_error=None,
                          payment_method=token)
                kind = "payment_intent.succeeded"
            else:  # a decline sends the intent back to requires_payment_method, as Stripe does
                pi.update(status="requires_payment_method", payment_method=None,
                          last_payment_error={"code": "card_declined", "decline_code": card["outcome"]})
                kind = "payment_intent.payment_failed"
        # the stand-in delivers before it answers, so the demo runs the same way every time; a real
        # provider sends events later, maybe twice, in any order: the service handles each order
        p.deliver(p.event(kind, intent_public(pi)), webhook_target())
        return intent_public(pi), 200


@provider_ns.route("/payment_intents/<pid>/cancel")
class ProviderCancel(Resource):
    @provider_auth
    @provider_idempotent
    def post(self, pid):
        p = the_provider()
        with p.lock:
            pi = find_intent(pid)
            if pi["status"] in ("succeeded", "canceled"):
                error(400, f"This PaymentIntent's status is {pi['status']}: it cannot be canceled")
            pi["status"] = "canceled"
        p.deliver(p.event("payment_intent.canceled", intent_public(pi)), webhook_target())
        return intent_public(pi), 200


@provider_ns.route("/refunds")
class ProviderRefunds(Resource):
    @provider_auth
    @provider_idempotent
    def post(self):
        p = the_provider()
        data = request.get_json(silent=True) or {}
        with p.lock:
            pi = find_intent(data.get("payment_intent", ""))
            amount = data.get("amount", pi["amount"] - pi["amount_refunded"])
            if pi["status"] != "succeeded":
                error(400, "This PaymentIntent has no successful charge to refund")
            if type(amount) is not int or amount < 1 or amount > pi["amount"] - pi["amount_refunded"]:
                error(400, f"Refund amount ({amount}) is greater than unrefunded amount on charge "
                           f"({pi['amount'] - pi['amount_refunded']})")
            pi["amount_refunded"] += amount
            refund = {"id": p.new_id("re"), "object": "refund", "amount": amount, "currency": pi["currency"],
                      "payment_intent": pi["id"], "status": "succeeded", "metadata": data.get("metadata") or {}}
            p.refunds[refund["id"]] = refund
        p.deliver(p.event("refund.succeeded", refund), webhook_target())
        return refund, 200


@provider_ns.route("/events")
class ProviderEvents(Resource):
    def get(self):
        """Every event the stand-in made, newest first, with its delivery attempts."""
        return sorted(the_provider().events.values(), key=lambda e: e["created"], reverse=True)[:50]


@provider_ns.route("/events/<eid>/resend")
class ProviderResend(Resource):
    def post(self, eid):
        """Deliver an event again, signed anew: the service must answer 200 and apply it only once."""
        p = the_provider()
        evt = p.events.get(eid)
        if evt is None:
            error(404, f"No such event: {eid}")
        status, answer = p.deliver(evt, webhook_target(), attempt=len(evt["deliveries"]) + 1)
        try:
            answer = json.loads(answer)
        except ValueError:
            pass
        return {"event": eid, "status": status, "response": answer}, 200


# ================================================================ the service's database

class Payment(db.Model):
    __tablename__ = "payments"
    id = db.Column(db.Integer, primary_key=True)
    provider_id = db.Column(db.String(64), unique=True)
    amount_cents = db.Column(db.Integer, nullable=False)
    currency = db.Column(db.String(3), nullable=False)
    customer_email = db.Column(db.String(254), nullable=False, index=True)
    billing_country = db.Column(db.String(2), nullable=False)
    description = db.Column(db.String(200), nullable=False, default="")
    status = db.Column(db.String(32), nullable=False, default="requires_payment_method")
    refunded_cents = db.Column(db.Integer, nullable=False, default=0)
    payment_method = db.Column(db.String(64))  # a provider token, never a card number
    card_brand = db.Column(db.String(20))
    card_last4 = db.Column(db.String(4))
    card_country = db.Column(db.String(2))
    card_fingerprint = db.Column(db.String(32))
    last_error = db.Column(db.String(100))
    risk_score = db.Column(db.Integer)
    risk_decision = db.Column(db.String(10))
    risk_reasons = db.Column(db.Text)
    client_ip = db.Column(db.String(45))
    created_at = db.Column(db.DateTime, nullable=False, default=now)


class Refund(db.Model):
    __tablename__ = "refunds"
    id = db.Column(db.Integer, primary_key=True)
    payment_id = db.Column(db.Integer, db.ForeignKey("payments.id"), nullable=False, index=True)
    provider_id = db.Column(db.String(64), unique=True)
    amount_cents = db.Column(db.Integer, nullable=False)
    reason = db.Column(db.String(100), nullable=False, default="")
    status = db.Column(db.String(20), nullable=False, default="pending")
    created_at = db.Column(db.DateTime, nullable=False, default=now)


class Transaction(db.Model):
    """One money movement; its entries sum to zero (double entry)."""
    __tablename__ = "transactions"
    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(10), nullable=False)  # charge | refund
    payment_id = db.Column(db.Integer, db.ForeignKey("payments.id"), nullable=False, index=True)
    provider_ref = db.Column(db.String(64), unique=True, nullable=False)  # ch_... / re_...: recorded once
    amount_cents = db.Column(db.Integer, nullable=False)
    currency = db.Column(db.String(3), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=now)
    entries = db.relationship("Entry", order_by="Entry.id", lazy="selectin")


class Entry(db.Model):
    __tablename__ = "entries"
    id = db.Column(db.Integer, primary_key=True)
    transaction_id = db.Column(db.Integer, db.ForeignKey("transactions.id"), nullable=False, index=True)
    account = db.Column(db.String(40), nullable=False)
    amount_cents = db.Column(db.Integer, nullable=False)  # + debit, - credit
    currency = db.Column(db.String(3), nullable=False)


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_keys"
    key = db.Column(db.String(255), primary_key=True)
    fingerprint = db.Column(db.String(64), nullable=False)
    status_code = db.Column(db.Integer)  # None while the first request runs
    response_body = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False, default=now)


class WebhookEvent(db.Model):
    __tablename__ = "webhook_events"
    id = db.Column(db.String(64), primary_key=True)  # the provider's event id: each applied once
    type = db.Column(db.String(60), nullable=False)
    received_at = db.Column(db.DateTime, nullable=False, default=now)
    deliveries = db.Column(db.Integer, nullable=False, default=1)


class Blocklist(db.Model):
    __tablename__ = "blocklist"
    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(20), nullable=False)  # email | card_fingerprint | country | ip
    value = db.Column(db.String(254), nullable=False)
    __table_args__ = (db.UniqueConstraint("kind", "value"),)


class Attempt(db.Model):
    """Each confirmation attempt, for the velocity rule."""
    __tablename__ = "attempts"
    id = db.Column(db.Integer, primary_key=True)
    customer_email = db.Column(db.String(254), nullable=False, index=True)
    card_fingerprint = db.Column(db.String(32))
    created_at = db.Column(db.DateTime, nullable=False, default=now, index=True)


# ================================================================ calling the provider

class ProviderError(Exception):
    def __init__(self, status, body):
        super().__init__(f"provider answered {status}")
        self.status, self.body = status, body


def provider_call(method, path, body=None, idempotency_key=None):
    """One HTTP call to the provider, with the API key and a timeout. 2xx -> its JSON; else ProviderError."""
    base = current_app.config.get("PAYMENT_PROVIDER_URL") or request.host_url + "provider/v1"
    headers = {"Authorization": f"Bearer {current_app.config['PROVIDER_API_KEY']}", "Content-Type": "application/json"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base.rstrip("/") + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=current_app.config["PROVIDER_TIMEOUT"]) as res:
            return json.loads(res.read())
    except urllib.error.HTTPError as e:
        try:
            answer = json.loads(e.read())
        except ValueError:
            answer = {}
        raise ProviderError(e.code, answer) from None
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise ProviderError(None, {"message": str(e)}) from None


# ================================================================ ledger, fraud, webhooks

def record(kind, payment, provider_ref, amount):
    """A charge or refund in the ledger, once per provider reference (a webhook and an answer may both try)."""
    if Transaction.query.filter_by(provider_ref=provider_ref).first():
        return False
    tx = Transaction(kind=kind, payment_id=payment.id, provider_ref=provider_ref, amount_cents=amount,
                     currency=payment.currency)
    sign = 1 if kind == "charge" else -1
    tx.entries = [Entry(account="assets:provider_balance", amount_cents=sign * amount, currency=payment.currency),
                  Entry(account="revenue:sales" if kind == "charge" else "revenue:refunds",
                        amount_cents=-sign * amount, currency=payment.currency)]
    db.session.add(tx)
    try:
        db.session.flush()
    except IntegrityError:  # the other path recorded it a moment ago
        db.session.rollback()
        return False
    return True


def apply_intent(payment, pi):
    """Brings the local payment in line with the provider's intent (from an answer or a webhook)."""
    if pi["status"] == "succeeded":
        if payment.status != "succeeded":
            payment.status, payment.last_error = "succeeded", None
        record("charge", payment, pi["latest_charge"], payment.amount_cents)
    elif pi["status"] == "canceled":
        payment.status = "canceled"
    elif pi["status"] == "requires_payment_method" and pi.get("last_payment_error") and payment.status != "succeeded":
        payment.status = "requires_payment_method"
        payment.last_error = pi["last_payment_error"].get("decline_code") or "card_declined"


def fraud_rules():
    """The weights and thresholds of stage 5 (p2-fraud); the country compared is the card's here."""
    c = current_app.config
    return {"review_at": c["FRAUD_REVIEW_SCORE"], "block_at": c["FRAUD_BLOCK_SCORE"],
            "amount_limit_cents": c["FRAUD_AMOUNT_LIMIT"],
            "velocity": {"limit": c["FRAUD_VELOCITY_LIMIT"], "window_seconds": c["FRAUD_VELOCITY_WINDOW"]},
            "weights": {"amount_over_limit": 40, "velocity": 50, "country_mismatch": 30, "blocked": 100}}


def assess(amount, email, billing_country, card, ip):
    """Risk score 0-100 from independent rules, and allow / review / block."""
    rules, reasons = fraud_rules(), []
    weights = rules["weights"]
    if amount > rules["amount_limit_cents"]:
        reasons.append(("amount_over_limit", weights["amount_over_limit"]))
    since = now() - timedelta(seconds=rules["velocity"]["window_seconds"])
    recent = Attempt.query.filter(Attempt.customer_email == email, Attempt.created_at >= since).count()
    if recent + 1 > rules["velocity"]["limit"]:  # with this attempt, more than the limit
        reasons.append(("velocity", weights["velocity"]))
    if card and card.get("country") and card["country"] != billing_country:
        reasons.append(("country_mismatch", weights["country_mismatch"]))
    checks = [("email", email), ("ip", ip), ("country", card and card.get("country")),
              ("card_fingerprint", card and card.get("fingerprint"))]
    for kind, value in checks:
        if value and Blocklist.query.filter_by(kind=kind, value=value).first():
            reasons.append((f"blocked_{kind}", weights["blocked"]))
    score = min(100, sum(w for _, w in reasons))
    decision = "block" if score >= rules["block_at"] else "review" if score >= rules["review_at"] else "allow"
    return {"score": score, "decision": decision, "reasons": [r for r, _ in reasons], "attempts_in_window": recent}


def verify_signature(header, body, secret, tolerance=SIGNATURE_TOLERANCE):
    """Provider-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>. Returns a problem or None."""
    parts = {}
    for item in (header or "").split(","):
        k, _, v = item.strip().partition("=")
        parts.setdefault(k, []).append(v)
    try:
        t = int(parts["t"][0])
    except (KeyError, ValueError):
        return "missing or malformed Provider-Signature header"
    if abs(time.time() - t) > tolerance:
        return f"timestamp outside the {tolerance}-second tolerance (a replayed or delayed event)"
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, v) for v in parts.get("v1", [])):
        return "signature does not match"
    return None


# ================================================================ the service's API

api_ns = Namespace("payments", description="Payment intents, confirmation with card tokens, refunds")
ledger_ns = Namespace("ledger", description="Transactions and the double-entry ledger, in integer cents")
hooks_ns = Namespace("webhooks", description="Signed events from the provider")
fraud_ns = Namespace("fraud", description="Fraud rules, risk scores, blocklist and manual review")

IDEM = {"params": {"Idempotency-Key": {"in": "header", "required": True, "type": "string",
                                       "description": "a new unique value (a UUID) per operation; resend it on a retry"}}}
ADMIN = {"security": "AdminToken"}

payment_in = api_ns.model("PaymentIn", {
    "amount_cents": fields.Integer(required=True, min=1, max=MAX_AMOUNT, example=2599,
                                   description="integer minor units: 2599 is 25.99"),
    "currency": fields.String(required=True, enum=sorted(CURRENCIES), example="eur"),
    "customer_email": fields.String(required=True, example="ada@example.com", pattern=r"^[^@\s]+@[^@\s]+$"),
    "billing_country": fields.String(required=True, example="US", pattern="^[A-Z]{2}$"),
    "description": fields.String(example="Order 1001", max_length=200),
})
confirm_in = api_ns.model("ConfirmIn", {
    "payment_method": fields.String(required=True, example="pm_card_visa",
                                    description="a provider token: pm_card_visa, pm_card_gb, pm_card_mastercard, "
                                                "pm_card_chargeDeclined, pm_card_chargeDeclinedInsufficientFunds"),
})
refund_in = api_ns.model("RefundIn", {
    "amount_cents": fields.Integer(min=1, example=500, description="omit for everything not yet refunded"),
    "reason": fields.String(example="requested_by_customer", max_length=100),
})
refund_out = api_ns.model("Refund", {
    "id": fields.Integer, "payment_id": fields.Integer, "provider_id": fields.String, "amount_cents": fields.Integer,
    "reason": fields.String, "status": fields.String, "created_at": fields.DateTime,
})
card_out = api_ns.model("Card", {"brand": fields.String(attribute="card_brand"),
                                 "last4": fields.String(attribute="card_last4"),
                                 "country": fields.String(attribute="card_country")})
risk_out = api_ns.model("Risk", {"score": fields.Integer(attribute="risk_score"),
                                 "decision": fields.String(attribute="risk_decision"),
                                 "reasons": fields.Raw(attribute=lambda p: json.loads(p.risk_reasons or "[]"))})
payment_out = api_ns.model("Payment", {
    "id": fields.Integer, "provider_id": fields.String, "status": fields.String,
    "amount_cents": fields.Integer, "currency": fields.String,
    "amount": fields.String(attribute=lambda p: f"{p.amount_cents // 100}.{p.amount_cents % 100:02d} {p.currency.upper()}"),
    "refunded_cents": fields.Integer,
    "refundable_cents": fields.Integer(attribute=lambda p: p.amount_cents - p.refunded_cents if p.status == "succeeded" else 0),
    "customer_email": fields.String, "billing_country": fields.String, "description": fields.String,
    "card": fields.Nested(card_out, attribute=lambda p: p if p.card_last4 else None, allow_null=True),
    "risk": fields.Nested(risk_out, attribute=lambda p: p if p.risk_decision else None, allow_null=True),
    "last_error": fields.String, "created_at": fields.DateTime,
})
payment_created = api_ns.inherit("PaymentCreated", payment_out, {
    "client_secret": fields.String(description="for the customer's browser, to pay the provider directly"),
})


def get_payment(pid):
    payment = db.session.get(Payment, pid)
    if payment is None:
        error(404, f"payment {pid} not found")
    return payment


CARD_DATA_REFUSED = ("card data never comes to this service: the card goes to the provider "
                     "(POST /provider/v1/payment_methods), send its token (pm_...) as payment_method")
CARD_NUMBER = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")  # 13-19 digits, spaces or dashes between


def luhn(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def holds_card_data(value):
    """A card field name or a string holding a number that passes the Luhn check, at any depth."""
    if isinstance(value, dict):
        return bool(CARD_KEYS & {str(k).lower() for k in value}) or any(holds_card_data(v) for v in value.values())
    if isinstance(value, list):
        return any(holds_card_data(v) for v in value)
    if isinstance(value, str):
        return any(luhn(re.sub(r"[ -]", "", m.group())) for m in CARD_NUMBER.finditer(value))
    return False


def refuse_card_data():
    """Before anything else (validation, idempotency, logs): a body with card data is refused, stored nowhere."""
    if request.path.startswith("/api/") and request.is_json and holds_card_data(request.get_json(silent=True)):
        return {"message": CARD_DATA_REFUSED}, 422
    return None


def strict_int(data, name, required=True):
    value = data.get(name)
    if value is None and not required:
        return None
    if type(value) is not int:
        error(400, f"{name} must be an integer number of cents (2599 for 25.99), not {json.dumps(value)}")
    return value


def require_admin(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not hmac.compare_digest(request.headers.get("X-Admin-Token", "").encode(),
                                   current_app.config["ADMIN_TOKEN"].encode()):
            error(401, "X-Admin-Token required")
        return view(*args, **kwargs)
    return wrapped


@api_ns.route("")
class Payments(Resource):
    @api_ns.doc(**IDEM)
    @api_ns.expect(payment_in, validate=True)
    @api_ns.marshal_with(payment_created, code=201)
    @api_ns.response(400, "invalid input, or no Idempotency-Key")
    @api_ns.response(422, "card data in the body, or an Idempotency-Key used with another request")
    @api_ns.response(502, "the provider failed")
    def post(self):
        """Create a payment intent at the provider (nothing is charged yet)."""
        data = request.get_json()
        amount = strict_int(data, "amount_cents")
        payment = Payment(amount_cents=amount, currency=data["currency"], customer_email=data["customer_email"].lower(),
                          billing_country=data["billing_country"], description=data.get("description") or "",
                          client_ip=request.remote_addr)
        db.session.add(payment)
        db.session.commit()  # never hold a transaction open across a network call
        try:
            pi = provider_call("POST", "/payment_intents", {
                "amount": amount, "currency": payment.currency, "metadata": {"payment_id": payment.id}},
                idempotency_key=f"{g.idempotency_key}:create")
        except ProviderError as e:
            payment.status, payment.last_error = "failed", "provider_unavailable"
            db.session.commit()
            error(502, "the payment provider failed; retry with the same Idempotency-Key", provider_status=e.status)
        payment.provider_id = pi["id"]
        db.session.commit()
        payment.client_secret = pi["client_secret"]
        return payment, 201

    @api_ns.marshal_list_with(payment_out)
    @api_ns.param("status", "only payments in this status")
    def get(self):
        """Payments, newest first."""
        query = Payment.query.order_by(Payment.id.desc())
        if request.args.get("status"):
            query = query.filter_by(status=request.args["status"])
        return query.limit(100).all()


@api_ns.route("/<int:pid>")
class OnePayment(Resource):
    @api_ns.marshal_with(payment_out)
    @api_ns.response(404, "payment not found")
    def get(self, pid):
        return get_payment(pid)


def confirm_at_provider(payment, token):
    try:
        pi = provider_call("POST", f"/payment_intents/{payment.provider_id}/confirm", {"payment_method": token},
                           idempotency_key=f"{g.idempotency_key}:confirm")
    except ProviderError as e:
        error(502, "the payment provider failed; retry with the same Idempotency-Key", provider_status=e.status)
    db.session.refresh(payment)  # the webhook may have updated it meanwhile
    apply_intent(payment, pi)
    db.session.commit()
    if payment.status != "succeeded":
        error(402, "card declined", decline_code=payment.last_error, payment_id=payment.id)
    return payment


@api_ns.route("/<int:pid>/confirm")
class Confirm(Resource):
    @api_ns.doc(**IDEM)
    @api_ns.expect(confirm_in, validate=True)
    @api_ns.marshal_with(payment_out)
    @api_ns.response(402, "declined by the card's bank, or blocked by the fraud rules")
    @api_ns.response(409, "the payment cannot be confirmed in its status")
    def post(self, pid):
        """Check the fraud rules, then charge the card token (allow), hold it for review, or block it."""
        data = request.get_json()
        payment = get_payment(pid)
        if payment.status != "requires_payment_method" or not payment.provider_id:
            error(409, f"a payment in status {payment.status} cannot be confirmed")
        try:
            card = provider_call("GET", f"/payment_methods/{data['payment_method']}")["card"]
        except ProviderError as e:
            if e.status == 404:
                error(400, f"unknown payment_method {data['payment_method']!r}: use a provider token")
            error(502, "the payment provider failed", provider_status=e.status)
        risk = assess(payment.amount_cents, payment.customer_email, payment.billing_country, card,
                      request.remote_addr)
        db.session.add(Attempt(customer_email=payment.customer_email, card_fingerprint=card["fingerprint"]))
        payment.payment_method = data["payment_method"]
        payment.card_brand, payment.card_last4 = card["brand"], card["last4"]
        payment.card_country, payment.card_fingerprint = card["country"], card["fingerprint"]
        payment.risk_score, payment.risk_decision = risk["score"], risk["decision"]
        payment.risk_reasons = json.dumps(risk["reasons"])
        if risk["decision"] == "review":
            payment.status = "requires_review"
            db.session.commit()
            return payment
        db.session.commit()
        if risk["decision"] == "block":
            cancel_at_provider(payment)
            error(402, "blocked by the fraud rules", risk=risk, payment_id=payment.id)
        return confirm_at_provider(payment, data["payment_method"])


def cancel_at_provider(payment):
    try:
        pi = provider_call("POST", f"/payment_intents/{payment.provider_id}/cancel",
                           idempotency_key=f"{g.idempotency_key}:cancel")
    except ProviderError as e:
        error(502, "the payment provider failed", provider_status=e.status)
    db.session.refresh(payment)
    apply_intent(payment, pi)
    db.session.commit()
    return payment


@api_ns.route("/<int:pid>/cancel")
class Cancel(Resource):
    @api_ns.doc(**IDEM)
    @api_ns.marshal_with(payment_out)
    @api_ns.response(409, "only a payment not yet charged can be canceled")
    def post(self, pid):
        """Cancel a payment that was not charged."""
        payment = get_payment(pid)
        if payment.status not in ("requires_payment_method", "requires_review") or not payment.provider_id:
            error(409, f"a payment in status {payment.status} cannot be canceled")
        return cancel_at_provider(payment)


@api_ns.route("/<int:pid>/refunds")
class Refunds(Resource):
    @api_ns.doc(**IDEM)
    @api_ns.expect(refund_in, validate=True)
    @api_ns.marshal_with(refund_out, code=201)
    @api_ns.response(409, "the payment is not charged, or the refund would exceed what is left")
    def post(self, pid):
        """Refund all or part of a charged payment; never more than was paid, even under concurrent requests."""
        data = request.get_json(silent=True) or {}
        payment = get_payment(pid)
        amount = strict_int(data, "amount_cents", required=False)
        if amount is None:
            amount = payment.amount_cents - payment.refunded_cents
        if amount < 1:
            error(409 if amount == 0 else 400, "nothing left to refund" if amount == 0 else "amount_cents must be positive")
        # one conditional UPDATE reserves the amount: two concurrent refunds cannot both pass the check
        reserved = db.session.execute(
            update(Payment)
            .where(Payment.id == pid, Payment.status == "succeeded",
                   Payment.refunded_cents + amount <= Payment.amount_cents)
            .values(refunded_cents=Payment.refunded_cents + amount)
        ).rowcount
        if reserved != 1:
            db.session.rollback()
            db.session.refresh(payment)
            left = payment.amount_cents - payment.refunded_cents if payment.status == "succeeded" else 0
            error(409, f"refund of {amount} cents refused: {left} cents can be refunded", refundable_cents=left)
        refund = Refund(payment_id=pid, amount_cents=amount, reason=data.get("reason") or "")
        db.session.add(refund)
        db.session.commit()
        try:
            answer = provider_call("POST", "/refunds", {"payment_intent": payment.provider_id, "amount": amount,
                                                        "metadata": {"refund_id": refund.id}},
                                   idempotency_key=f"{g.idempotency_key}:refund")
        except ProviderError as e:  # give the reserved amount back
            db.session.execute(update(Payment).where(Payment.id == pid)
                               .values(refunded_cents=Payment.refunded_cents - amount))
            refund.status = "failed"
            db.session.commit()
            error(502, "the provider refused or failed the refund", provider_status=e.status,
                  provider_error=(e.body.get("message") if isinstance(e.body, dict) else None))
        db.session.refresh(refund)
        refund.provider_id, refund.status = answer["id"], answer["status"]
        record("refund", payment, answer["id"], amount)
        db.session.commit()
        return refund, 201

    @api_ns.marshal_list_with(refund_out)
    def get(self, pid):
        get_payment(pid)
        return Refund.query.filter_by(payment_id=pid).order_by(Refund.id).all()


# ---------------------------------------------------------------- ledger

entry_out = ledger_ns.model("Entry", {"account": fields.String, "amount_cents": fields.Integer,
                                      "currency": fields.String})
tx_out = ledger_ns.model("Transaction", {
    "id": fields.Integer, "kind": fields.String, "payment_id": fields.Integer, "provider_ref": fields.String,
    "amount_cents": fields.Integer, "currency": fields.String, "created_at": fields.DateTime,
    "entries": fields.List(fields.Nested(entry_out)),
})


@ledger_ns.route("/transactions")
class Transactions(Resource):
    @ledger_ns.marshal_list_with(tx_out)
    @ledger_ns.param("payment_id", "only this payment's transactions", type=int)
    def get(self):
        """Charges and refunds, newest first, each with its two entries."""
        query = Transaction.query.order_by(Transaction.id.desc())
        if request.args.get("payment_id", type=int):
            query = query.filter_by(payment_id=request.args.get("payment_id", type=int))
        return query.limit(100).all()


@ledger_ns.route("/balances")
class Balances(Resource):
    def get(self):
        """Each account's balance per currency, and whether every currency's entries sum to zero."""
        rows = (db.session.query(Entry.currency, Entry.account, func.sum(Entry.amount_cents))
                .group_by(Entry.currency, Entry.account).order_by(Entry.currency, Entry.account).all())
        balances = {}
        for currency, account, total in rows:
            balances.setdefault(currency, {})[account] = int(total)
        return {"balances": balances,
                "balanced": all(sum(accounts.values()) == 0 for accounts in balances.values())}


# ---------------------------------------------------------------- webhooks

@hooks_ns.route("/provider")
class ProviderWebhook(Resource):
    @hooks_ns.response(400, "bad signature, stale timestamp, or not an event")
    def post(self):
        """Signed events from the provider (no Idempotency-Key: the signature and the event id do that job)."""
        body = request.get_data()  # the exact bytes that were signed
        problem = verify_signature(request.headers.get("Provider-Signature"), body,
                                   current_app.config["WEBHOOK_SECRET"], current_app.config["WEBHOOK_TOLERANCE"])
        if problem:
            error(400, problem)
        try:
            evt = json.loads(body)
            eid, kind, obj = evt["id"], evt["type"], evt["data"]["object"]
        except (ValueError, KeyError, TypeError):
            error(400, "not an event")
        seen = db.session.get(WebhookEvent, eid)
        if seen:  # a redelivery or a replay inside the tolerance: acknowledge, apply nothing
            seen.deliveries += 1
            db.session.commit()
            return {"received": True, "duplicate": True}
        db.session.add(WebhookEvent(id=eid, type=kind))
        if kind.startswith("payment_intent."):
            payment = Payment.query.filter_by(provider_id=obj.get("id")).first()
            if payment:
                apply_intent(payment, obj)
        elif kind == "refund.succeeded":
            refund = db.session.get(Refund, (obj.get("metadata") or {}).get("refund_id") or 0)
            if refund and refund.status == "pending":
                refund.provider_id, refund.status = obj["id"], "succeeded"
                record("refund", db.session.get(Payment, refund.payment_id), obj["id"], obj["amount"])
        try:
            db.session.commit()
        except IntegrityError:  # the same event, delivered twice at the same moment
            db.session.rollback()
            return {"received": True, "duplicate": True}
        return {"received": True, "duplicate": False}


@hooks_ns.route("/events")
class ReceivedEvents(Resource):
    def get(self):
        """The events this service applied, newest first, with how often each was delivered."""
        return [{"id": e.id, "type": e.type, "received_at": e.received_at.isoformat(), "deliveries": e.deliveries}
                for e in WebhookEvent.query.order_by(WebhookEvent.received_at.desc()).limit(50)]


# ---------------------------------------------------------------- fraud

evaluate_in = fraud_ns.model("EvaluateIn", {
    "amount_cents": fields.Integer(required=True, min=1, example=2599),
    "customer_email": fields.String(required=True, example="ada@example.com"),
    "billing_country": fields.String(required=True, example="US"),
    "payment_method": fields.String(example="pm_card_gb"),
})
block_in = fraud_ns.model("BlockIn", {
    "kind": fields.String(required=True, enum=["email", "card_fingerprint", "country", "ip"], example="email"),
    "value": fields.String(required=True, example="mallory@example.com"),
})
review_in = fraud_ns.model("ReviewIn", {"action": fields.String(required=True, enum=["approve", "reject"])})


@fraud_ns.route("/rules")
class Rules(Resource):
    def get(self):
        """The rules, their scores and the thresholds (allow below review_at, block from block_at)."""
        return fraud_rules()


@fraud_ns.route("/evaluate")
class Evaluate(Resource):
    @fraud_ns.doc(**IDEM)
    @fraud_ns.expect(evaluate_in, validate=True)
    def post(self):
        """Score a payment without making it (a dry run of the rules)."""
        data = request.get_json()
        card = None
        if data.get("payment_method"):
            try:
                card = provider_call("GET", f"/payment_methods/{data['payment_method']}")["card"]
            except ProviderError:
                error(400, f"unknown payment_method {data['payment_method']!r}")
        return assess(strict_int(data, "amount_cents"), data["customer_email"].lower(), data["billing_country"],
                      card, request.remote_addr)


@fraud_ns.route("/blocklist")
class BlocklistRes(Resource):
    @fraud_ns.doc(**ADMIN)
    def get(self):
        return [{"id": b.id, "kind": b.kind, "value": b.value} for b in Blocklist.query.order_by(Blocklist.id)]

    @fraud_ns.doc(**ADMIN, **IDEM)
    @fraud_ns.expect(block_in, validate=True)
    @require_admin
    def post(self):
        data = request.get_json()
        value = data["value"].lower() if data["kind"] == "email" else data["value"]
        entry = Blocklist.query.filter_by(kind=data["kind"], value=value).first()
        if entry is None:
            entry = Blocklist(kind=data["kind"], value=value)
            db.session.add(entry)
            db.session.commit()
        return {"id": entry.id, "kind": entry.kind, "value": entry.value}, 201


@fraud_ns.route("/blocklist/<int:bid>")
class BlocklistOne(Resource):
    @fraud_ns.doc(**ADMIN)
    @require_admin
    def delete(self, bid):
        entry = db.session.get(Blocklist, bid)
        if entry is None:
            error(404, "no such blocklist entry")
        db.session.delete(entry)
        db.session.commit()
        return "", 204


@fraud_ns.route("/reviews")
class Reviews(Resource):
    @fraud_ns.doc(**ADMIN)
    @fraud_ns.marshal_list_with(payment_out)
    @require_admin
    def get(self):
        """Payments held for a person to look at."""
        return Payment.query.filter_by(status="requires_review").order_by(Payment.id).all()


@fraud_ns.route("/reviews/<int:pid>")
class Review(Resource):
    @fraud_ns.doc(**ADMIN, **IDEM)
    @fraud_ns.expect(review_in, validate=True)
    @fraud_ns.marshal_with(payment_out)
    @require_admin
    def post(self, pid):
        """Approve (charge the stored token) or reject (cancel) a held payment."""
        payment = get_payment(pid)
        if payment.status != "requires_review":
            error(409, f"payment {pid} is not waiting for a review (status {payment.status})")
        if request.get_json()["action"] == "reject":
            return cancel_at_provider(payment)
        payment.status = "requires_payment_method"
        db.session.commit()
        return confirm_at_provider(payment, payment.payment_method)


# ================================================================ idempotency for every POST under /api

IDEMPOTENCY_EXEMPT = {"/api/webhooks/provider"}


def idempotency_begin():
    if request.method != "POST" or not request.path.startswith("/api/") or request.path in IDEMPOTENCY_EXEMPT:
        return None
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 255:
        return {"message": "an Idempotency-Key header (1-255 characters, a new UUID per operation) is required "
                           "on every POST"}, 400
    fingerprint = hashlib.sha256(f"{request.method} {request.path}\n".encode() + request.get_data()).hexdigest()
    db.session.query(IdempotencyKey).filter(IdempotencyKey.created_at < now() - timedelta(hours=24)).delete()
    db.session.add(IdempotencyKey(key=key, fingerprint=fingerprint))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        seen = db.session.get(IdempotencyKey, key)
        if seen is None or seen.status_code is None:
            return {"message": "a request with this Idempotency-Key is still being processed; retry later"}, 409
        if seen.fingerprint != fingerprint:
            return {"message": "this Idempotency-Key was used with another request (method, path or body)"}, 422
        reply = current_app.response_class(seen.response_body, status=seen.status_code, mimetype="application/json")
        reply.headers["Idempotent-Replayed"] = "true"
        return reply
    g.idempotency_key = key
    return None


def idempotency_finish(response):
    key = g.pop("idempotency_key", None)
    if key is None:
        return response
    db.session.rollback()  # whatever the view left uncommitted
    seen = db.session.get(IdempotencyKey, key)
    if seen is not None:
        if response.status_code >= 500:  # a failure that a retry may fix: forget the key
            db.session.delete(seen)
        else:  # success or a final "no" (4xx): the same key answers the same from now on
            seen.status_code, seen.response_body = response.status_code, response.get_data(as_text=True)
        db.session.commit()
    return response


def idempotency_abandon(exc):
    key = g.pop("idempotency_key", None)
    if key is not None:  # the view raised past every handler: let a retry run again
        db.session.rollback()
        db.session.query(IdempotencyKey).filter_by(key=key, status_code=None).delete()
        db.session.commit()


# ================================================================ the app

def database_url(app):
    url = os.environ.get("DATABASE_URL")
    if not url:
        # a new file per process, outside the demo folder (two demos never share one), removed at exit
        fd, path = tempfile.mkstemp(prefix="p2-demo-", suffix=".sqlite")
        os.close(fd)
        atexit.register(lambda: os.path.exists(path) and os.remove(path))
        try:  # `kill` (SIGTERM) ends the server through SystemExit, so the file is removed then too
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        except ValueError:  # not the main thread: atexit alone
            pass
        return "sqlite:///" + path, True
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        try:
            import psycopg2  # noqa: F401  SQLAlchemy's default PostgreSQL driver
        except ImportError:
            url = "postgresql+psycopg://" + url[len("postgresql://"):]  # psycopg 3
    return url, False


def create_app():
    app = Flask(__name__)
    url, fresh = database_url(app)
    env = os.environ.get
    app.config.update(
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 15}} if url.startswith("sqlite") else {"pool_pre_ping": True},
        PROVIDER_API_KEY=env("PROVIDER_API_KEY", "sk_test_p2_demo"),  # demo values: set your own
        WEBHOOK_SECRET=env("WEBHOOK_SECRET", "whsec_p2_demo"),
        ADMIN_TOKEN=env("ADMIN_TOKEN", "p2-demo-admin"),
        PAYMENT_PROVIDER_URL=env("PAYMENT_PROVIDER_URL"),  # default: this app's /provider/v1
        PROVIDER_WEBHOOK_URL=env("PROVIDER_WEBHOOK_URL"),  # default: this app's /api/webhooks/provider
        PROVIDER_TIMEOUT=float(env("PROVIDER_TIMEOUT", "10")),
        WEBHOOK_TOLERANCE=int(env("WEBHOOK_TOLERANCE", str(SIGNATURE_TOLERANCE))),
        FRAUD_REVIEW_SCORE=int(env("FRAUD_REVIEW_SCORE", "30")),
        FRAUD_BLOCK_SCORE=int(env("FRAUD_BLOCK_SCORE", "80")),
        FRAUD_AMOUNT_LIMIT=int(env("FRAUD_AMOUNT_LIMIT", "100000")),  # cents: 1,000.00
        FRAUD_VELOCITY_LIMIT=int(env("FRAUD_VELOCITY_LIMIT", "3")),
        FRAUD_VELOCITY_WINDOW=int(env("FRAUD_VELOCITY_WINDOW", "3600")),  # seconds
        RESTX_MASK_SWAGGER=False,
        ERROR_404_HELP=False,
    )
    db.init_app(app)
    app.extensions["p2_provider"] = StandInProvider(app.config["PROVIDER_API_KEY"], app.config["WEBHOOK_SECRET"])
    with app.app_context():
        if fresh:
            db.drop_all()
        db.create_all()
        print(f"p2 demo: database {db.engine.url.render_as_string(hide_password=True)}", file=sys.stderr)
    app.before_request(refuse_card_data)
    app.before_request(idempotency_begin)
    app.after_request(idempotency_finish)
    app.teardown_request(idempotency_abandon)

    api = Api(app, version="1.0", title="p2 demo: Payment Processing Service", doc="/swagger",
              description="Create a payment, confirm it with the token `pm_card_visa`, refund part of it, then read "
                          "the ledger and the webhook events. **Every POST under /api needs an Idempotency-Key** "
                          "header: a new value per operation, the same on a retry. The fraud admin routes need "
                          "**Authorize** with X-Admin-Token (default `p2-demo-admin`). The provider namespace is the "
                          "stand-in the service calls over HTTP.",
              authorizations={"AdminToken": {"type": "apiKey", "in": "header", "name": "X-Admin-Token"}})
    api.add_namespace(api_ns, path="/api/payments")
    api.add_namespace(ledger_ns, path="/api/ledger")
    api.add_namespace(hooks_ns, path="/api/webhooks")
    api.add_namespace(fraud_ns, path="/api/fraud")
    api.add_namespace(provider_ns, path="/provider/v1")

    @app.get("/api/health")
    def health():
        return {"status": "ok", "database": db.engine.url.get_backend_name()}

    return app


app = create_app()
