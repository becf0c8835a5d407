"""The payments and the idempotency keys. Amounts are integer cents, never floats; no card
number is ever stored: a payment keeps the provider's token of the card (pm_...)."""
from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Payment(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    customer = db.Column(db.String(64), nullable=False, index=True)
    amount = db.Column(db.Integer, nullable=False)  # cents
    currency = db.Column(db.String(3), nullable=False)
    payment_method = db.Column(db.String(64), nullable=False)  # a token, never a card number
    # requires_confirmation (saved, not confirmed at the provider yet: to retry), succeeded, failed,
    # then partially_refunded and refunded
    status = db.Column(db.String(32), nullable=False, default="requires_confirmation")
    # Cents claimed by refunds, those done and those in flight at the provider: raised only by a
    # conditional UPDATE (refunds.py), so that two refunds at once never exceed the capture.
    refund_reserved = db.Column(db.Integer, nullable=False, default=0)
    # The `created` time of the last provider event applied: an older event arriving late is stale.
    last_event_at = db.Column(db.Integer)
    provider_id = db.Column(db.String(64), unique=True)
    failure_code = db.Column(db.String(64))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    transactions = db.relationship("Transaction", back_populates="payment", order_by="Transaction.id")

    def to_dict(self):
        return {
            "id": self.id,
            "customer": self.customer,
            "amount": self.amount,
            "currency": self.currency,
            "status": self.status,
            "provider_id": self.provider_id,
            "failure_code": self.failure_code,
            "amount_captured": self.total("capture"),
            "amount_refunded": self.total("refund"),
            "transactions": [t.to_dict() for t in self.transactions],
        }

    def total(self, kind):
        """The sum of this payment's succeeded transactions of one kind, from the ledger itself."""
        return sum(t.amount for t in self.transactions if t.kind == kind and t.status == "succeeded")


KINDS = ("authorization", "capture", "refund")
TRANSACTION_STATUSES = ("succeeded", "failed")


class Transaction(db.Model):
    """One money movement, appended and never changed: the ledger of a payment."""

    id = db.Column(db.Integer, primary_key=True)
    payment_id = db.Column(db.Integer, db.ForeignKey("payment.id"), nullable=False, index=True)
    kind = db.Column(db.String(16), nullable=False)  # authorization, capture, refund
    status = db.Column(db.String(16), nullable=False)  # succeeded, failed
    amount = db.Column(db.Integer, nullable=False)  # positive cents, whatever the kind
    currency = db.Column(db.String(3), nullable=False)
    provider_id = db.Column(db.String(64))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    payment = db.relationship("Payment", back_populates="transactions")

    __table_args__ = (db.CheckConstraint("amount > 0", name="ck_transaction_amount_positive"),)

    def to_dict(self):
        return {
            "id": self.id,
            "payment_id": self.payment_id,
            "kind": self.kind,
            "status": self.status,
            "amount": self.amount,
            "currency": self.currency,
        }


class IdempotencyKey(db.Model):
    """One row per Idempotency-Key: what it was sent with, and the answer it got once it has one."""

    key = db.Column(db.String(255), primary_key=True)
    request_hash = db.Column(db.String(64), nullable=False)  # sha256 of method, path and body
    payment_id = db.Column(db.Integer, db.ForeignKey("payment.id"))
    status_code = db.Column(db.Integer)  # None until an answer is stored
    response_body = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class WebhookEvent(db.Model):
    """Every provider event processed, by its id: a second delivery of one is not processed again."""

    id = db.Column(db.String(255), primary_key=True)
    type = db.Column(db.String(64), nullable=False)
    created = db.Column(db.Integer, nullable=False)
    received_at = db.Column(db.DateTime, nullable=False, default=utcnow)
