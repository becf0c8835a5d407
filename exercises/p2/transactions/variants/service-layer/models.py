"""One table: each payment remembers the Idempotency-Key that made it and the answer it got."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Payment(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    idempotency_key = db.Column(db.String(255), unique=True, nullable=False)
    request_hash = db.Column(db.String(64), nullable=False)
    customer = db.Column(db.String(64), nullable=False)
    amount = db.Column(db.Integer, nullable=False)  # cents
    currency = db.Column(db.String(3), nullable=False)
    payment_method = db.Column(db.String(64), nullable=False)
    status = db.Column(db.String(32), nullable=False, default="requires_confirmation")
    provider_id = db.Column(db.String(64))
    failure_code = db.Column(db.String(64))
    response_status = db.Column(db.Integer)
    response_body = db.Column(db.Text)
    entries = db.relationship("LedgerEntry", order_by="LedgerEntry.id", lazy="selectin")

    def summed(self, kind):
        return sum(e.amount for e in self.entries if e.kind == kind and e.status == "succeeded")

    def to_dict(self):
        return {"id": self.id, "customer": self.customer, "amount": self.amount, "currency": self.currency,
                "status": self.status, "provider_id": self.provider_id, "failure_code": self.failure_code,
                "amount_captured": self.summed("capture"), "amount_refunded": self.summed("refund"),
                "transactions": [e.to_dict() for e in self.entries]}


class LedgerEntry(db.Model):
    """An append-only ledger row; amount in integer cents (BigInteger: no overflow on big totals)."""

    __tablename__ = "ledger_entries"
    id = db.Column(db.Integer, primary_key=True)
    payment_id = db.Column(db.Integer, db.ForeignKey("payment.id"), nullable=False, index=True)
    kind = db.Column(db.String(16), nullable=False)
    status = db.Column(db.String(16), nullable=False)
    amount = db.Column(db.BigInteger, nullable=False)
    currency = db.Column(db.String(3), nullable=False)

    def to_dict(self):
        return {"id": self.id, "payment_id": self.payment_id, "kind": self.kind, "status": self.status,
                "amount": self.amount, "currency": self.currency}
