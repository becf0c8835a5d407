"""The balances projection: a pure function of the events, applied in sequence order."""

from models import AccountBalance, Event, db


def apply(event):
    """Applies one event to the read model; False when the account has seen it already."""
    row = db.session.get(AccountBalance, event.stream_id)
    if row is not None and row.last_sequence >= event.sequence:
        return False  # replay is idempotent: this account's checkpoint is past the event
    if row is None:
        row = AccountBalance(account_id=event.stream_id, balance=0, last_sequence=0)
        db.session.add(row)
    if event.type == "account.opened":
        row.owner = event.data["owner"]
    elif event.type == "money.deposited":
        row.balance += event.data["amount"]
    elif event.type == "money.withdrawn":
        row.balance -= event.data["amount"]
    row.last_sequence = event.sequence
    return True


def _events(*conditions):
    return db.session.execute(db.select(Event).where(*conditions).order_by(Event.sequence)).scalars()


def rebuild(until=None):
    """A fresh read model from the first event (up to ``until``, a naive UTC datetime)."""
    db.session.execute(db.delete(AccountBalance))
    applied, last = 0, 0
    for event in _events(*([Event.occurred_at <= until] if until is not None else [])):
        apply(event)
        applied, last = applied + 1, event.sequence
    db.session.commit()
    return {"applied": applied, "last_sequence": last}


def replay(from_sequence):
    """Catches the read model up from ``from_sequence``, skipping what it applied already."""
    applied = skipped = 0
    last = 0
    for event in _events(Event.sequence >= from_sequence):
        if apply(event):
            applied += 1
        else:
            skipped += 1
        db.session.flush()
        last = event.sequence
    db.session.commit()
    return {"applied": applied, "skipped": skipped, "last_sequence": last}
