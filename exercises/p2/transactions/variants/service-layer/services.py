"""The service layer: PaymentService owns the rules; the views only translate HTTP."""
import hashlib
import json
import re

import requests
from flask import current_app

from sqlalchemy import text

from models import LedgerEntry, Payment, db


class ServiceError(Exception):
    def __init__(self, status, message, **extra):
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


class PaymentService:
    TOKEN = re.compile(r"pm_\w{1,60}", re.ASCII)

    def __init__(self, config):
        self.url = config["PROVIDER_URL"].rstrip("/")
        self.timeout = config["PROVIDER_TIMEOUT"]
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {config['PROVIDER_API_KEY']}"

    @classmethod
    def current(cls):
        return cls(current_app.config)

    def pay(self, key, raw_body, body):
        """(status, JSON text) for POST /api/payments."""
        fingerprint = hashlib.sha256(raw_body).hexdigest()
        payment = Payment.query.filter_by(idempotency_key=key).first()
        if payment is not None and payment.request_hash != fingerprint:
            raise ServiceError(422, "This Idempotency-Key belongs to another request")
        if payment is not None and payment.response_status is not None:
            return payment.response_status, payment.response_body
        if payment is None:
            self.validate(body)
            payment = Payment(idempotency_key=key, request_hash=fingerprint, customer=body["customer"].strip(),
                              amount=body["amount"], currency=body["currency"], payment_method=body["payment_method"])
            db.session.add(payment)
            db.session.commit()
        self.confirm(payment)
        payment.response_status, payment.response_body = 201, json.dumps(payment.to_dict())
        db.session.commit()
        return payment.response_status, payment.response_body

    def validate(self, body):
        ok = (isinstance(body, dict) and type(body.get("amount")) is int and 0 < body["amount"] < 100_000_000
              and body.get("currency") in {"eur", "usd", "gbp"}
              and isinstance(body.get("payment_method"), str) and self.TOKEN.fullmatch(body["payment_method"])
              and isinstance(body.get("customer"), str) and 0 < len(body["customer"].strip()) <= 64)
        if not ok:
            raise ServiceError(400, "Send amount (integer cents, 1-99999999), currency (eur/usd/gbp), "
                                    "payment_method (pm_... token) and customer (1-64 characters)")

    def confirm(self, payment):
        try:
            answer = self.session.post(
                f"{self.url}/v1/payment_intents", timeout=self.timeout,
                headers={"Idempotency-Key": f"payment-{payment.id}-confirm"},
                json={"amount": payment.amount, "currency": payment.currency,
                      "payment_method": payment.payment_method, "confirm": True})
            data = answer.json()
        except (requests.RequestException, ValueError):
            data, answer = None, None
        if answer is not None and answer.status_code == 402 and isinstance(data, dict):
            error = data.get("error") or {}
            payment.status, payment.failure_code = "failed", error.get("code")
            payment.provider_id = (error.get("payment_intent") or {}).get("id")
            self.ledger(payment, ("authorization", "failed"))
        elif answer is not None and answer.ok and isinstance(data, dict) and data.get("id"):
            payment.provider_id = data["id"]
            payment.status = "succeeded" if data.get("status") == "succeeded" else "failed"
            if payment.status == "succeeded":
                self.ledger(payment, ("authorization", "succeeded"), ("capture", "succeeded"))
            else:
                self.ledger(payment, ("authorization", "failed"))
        else:
            raise ServiceError(502, "The payment provider is unavailable; retry with the same Idempotency-Key",
                               payment=payment.to_dict())
        db.session.commit()

    @staticmethod
    def ledger(payment, *steps):
        for kind, status in steps:
            db.session.add(LedgerEntry(payment_id=payment.id, kind=kind, status=status,
                                       amount=payment.amount, currency=payment.currency))
        db.session.expire(payment, ["entries"])


class LedgerService:
    KINDS = ("authorization", "capture", "refund")
    STATUSES = ("succeeded", "failed")

    def search(self, args):
        def number(name, default, high=None):
            raw = args.get(name, default)
            if not str(raw).isdigit() or int(raw) < 1 or (high and int(raw) > high):
                raise ServiceError(400, f"{name} must be a whole number from 1" + (f" to {high}" if high else ""))
            return int(raw)

        page, per_page = number("page", 1), number("per_page", 20, 100)
        query = LedgerEntry.query
        if "payment_id" in args:
            query = query.filter(LedgerEntry.payment_id == number("payment_id", None))
        for name, allowed in (("kind", self.KINDS), ("status", self.STATUSES), ("currency", None)):
            if name in args:
                if allowed and args[name] not in allowed:
                    raise ServiceError(400, f"unknown {name} {args[name]!r}")
                query = query.filter(getattr(LedgerEntry, name) == args[name])
        total = query.count()
        items = query.order_by(LedgerEntry.id).offset((page - 1) * per_page).limit(per_page).all()
        return {"items": [e.to_dict() for e in items], "page": page, "per_page": per_page, "total": total}

    def balance(self):
        rows = db.session.execute(text(
            "SELECT currency,"
            " SUM(CASE WHEN kind = 'capture' THEN amount ELSE 0 END) AS captured,"
            " SUM(CASE WHEN kind = 'refund' THEN amount ELSE 0 END) AS refunded"
            " FROM ledger_entries WHERE status = 'succeeded' GROUP BY currency ORDER BY currency"
        )).mappings()
        return {"currencies": {r["currency"]: {"captured": int(r["captured"]), "refunded": int(r["refunded"]),
                                               "net": int(r["captured"]) - int(r["refunded"])} for r in rows}}
