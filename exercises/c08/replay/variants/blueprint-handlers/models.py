from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, text

db = SQLAlchemy()


class Event(db.Model):
    __tablename__ = "events"
    sequence = db.Column(db.Integer, primary_key=True)
    stream_id = db.Column(db.String(100), nullable=False)
    type = db.Column(db.String(50), nullable=False)
    data = db.Column(db.JSON, nullable=False)
    occurred_at = db.Column(db.DateTime, nullable=False, default=lambda: datetime.now(timezone.utc).replace(tzinfo=None))

    def as_json(self):
        return dict(sequence=self.sequence, stream_id=self.stream_id, type=self.type, data=self.data,
                    occurred_at=self.occurred_at.replace(tzinfo=timezone.utc).isoformat())


@event.listens_for(Event.__table__, "after_create")
def _append_only(table, connection, **kw):
    for verb in ("UPDATE", "DELETE"):
        connection.execute(text(
            f"CREATE TRIGGER IF NOT EXISTS {table.name}_refuse_{verb.lower()} BEFORE {verb} ON {table.name} "
            "BEGIN SELECT RAISE(ABORT, 'append-only'); END"))


class AccountBalance(db.Model):
    __tablename__ = "account_balances"
    account_id = db.Column(db.String(100), primary_key=True)
    owner = db.Column(db.String(200))
    balance = db.Column(db.Integer, nullable=False, default=0)
    last_sequence = db.Column(db.Integer, nullable=False, default=0)

    def as_json(self):
        return dict(account_id=self.account_id, owner=self.owner, balance=self.balance, last_sequence=self.last_sequence)
