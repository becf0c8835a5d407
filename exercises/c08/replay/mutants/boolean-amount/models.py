from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DDL, event

db = SQLAlchemy()


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)  # stored as naive UTC


class Event(db.Model):
    """The event store: one row per event, appended, never changed."""

    __tablename__ = "events"
    sequence = db.Column(db.Integer, primary_key=True, autoincrement=True)
    stream_id = db.Column(db.String(100), nullable=False, index=True)
    type = db.Column(db.String(50), nullable=False)
    data = db.Column(db.JSON, nullable=False)
    occurred_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)

    def to_dict(self):
        return {
            "sequence": self.sequence,
            "stream_id": self.stream_id,
            "type": self.type,
            "data": self.data,
            "occurred_at": self.occurred_at.replace(tzinfo=timezone.utc).isoformat(),
        }


# Append-only in the database itself: even raw SQL cannot rewrite history.
for _verb in ("UPDATE", "DELETE"):
    event.listen(
        Event.__table__,
        "after_create",
        DDL(
            f"CREATE TRIGGER IF NOT EXISTS events_no_{_verb.lower()} BEFORE {_verb} ON events "
            "BEGIN SELECT RAISE(ABORT, 'the event store is append-only'); END"
        ).execute_if(dialect="sqlite"),
    )


class AccountBalance(db.Model):
    """The read model: one row per account, rebuilt from the events at will."""

    __tablename__ = "account_balances"
    account_id = db.Column(db.String(100), primary_key=True)
    owner = db.Column(db.String(200))
    balance = db.Column(db.Integer, nullable=False, default=0)
    last_sequence = db.Column(db.Integer, nullable=False, default=0)

    def to_dict(self):
        return {"account_id": self.account_id, "owner": self.owner, "balance": self.balance, "last_sequence": self.last_sequence}
