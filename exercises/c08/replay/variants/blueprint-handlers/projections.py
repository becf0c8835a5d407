from models import AccountBalance, Event, db


class BalancesProjection:
    """Each event type has a when_<type> method; the row's last_sequence makes applying idempotent."""

    def handle(self, event):
        row = AccountBalance.query.filter_by(account_id=event.stream_id).first()
        if row is None:
            row = AccountBalance(account_id=event.stream_id, balance=0, last_sequence=0)
            db.session.add(row)
        elif event.sequence <= row.last_sequence:
            return False
        getattr(self, "when_" + event.type.replace(".", "_"))(row, event.data)
        row.last_sequence = event.sequence
        return True

    def when_account_opened(self, row, data):
        row.owner = data["owner"]

    def when_money_deposited(self, row, data):
        row.balance = (row.balance or 0) + data["amount"]

    def when_money_withdrawn(self, row, data):
        row.balance = (row.balance or 0) - data["amount"]

    def rebuild(self, until=None):
        AccountBalance.query.delete()
        events = [e for e in Event.query.order_by(Event.sequence).all() if until is None or e.occurred_at <= until]
        for e in events:
            self.handle(e)
            db.session.flush()
        db.session.commit()
        return {"applied": len(events), "last_sequence": events[-1].sequence if events else 0}

    def catch_up(self, start):
        result = {"applied": 0, "skipped": 0, "last_sequence": 0}
        for e in Event.query.filter(Event.sequence >= start).order_by(Event.sequence):
            result["applied" if self.handle(e) else "skipped"] += 1
            result["last_sequence"] = e.sequence
            db.session.flush()
        db.session.commit()
        return result


balances = BalancesProjection()
