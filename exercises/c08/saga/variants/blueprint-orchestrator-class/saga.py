"""The order saga as a small orchestrator class over a declarative list of steps."""
import uuid
from collections import namedtuple

import services
from models import db

PENDING, DONE, FAILED, COMPENSATED = "pending", "done", "failed", "compensated"
RUNNING, COMPENSATING, COMPLETED = "running", "compensating", "completed"

Step = namedtuple("Step", "name action compensation")

STEPS = (
    Step("reserve_stock", lambda sid, o: services.reserve_stock(sid, o["sku"], o["quantity"]), services.release_stock),
    Step("charge_payment", lambda sid, o: services.charge_payment(sid, o["amount_cents"]), services.refund_payment),
    Step("schedule_shipping", lambda sid, o: services.schedule_shipping(sid, o["sku"], o["quantity"]), None),
)
BY_NAME = {step.name: step for step in STEPS}


def _new_id():
    return uuid.uuid4().hex


class SagaRecord(db.Model):
    __tablename__ = "sagas"
    id = db.Column(db.String(36), primary_key=True, default=_new_id)
    status = db.Column(db.String(20), nullable=False)
    order = db.Column(db.JSON, nullable=False)
    error = db.Column(db.Text)
    idempotency_key = db.Column(db.String(200), unique=True, index=True)


class StepRecord(db.Model):
    __tablename__ = "saga_steps"
    __table_args__ = (db.UniqueConstraint("saga_id", "position"),)
    id = db.Column(db.Integer, primary_key=True)
    saga_id = db.Column(db.String(36), db.ForeignKey("sagas.id"), nullable=False)
    position = db.Column(db.Integer, nullable=False)
    name = db.Column(db.String(40), nullable=False)
    status = db.Column(db.String(20), nullable=False)


class OrderSaga:
    """Loads or creates one saga and drives it; every status change is committed on the spot."""

    def __init__(self, record):
        self.record = record

    @classmethod
    def find(cls, saga_id):
        record = db.session.get(SagaRecord, saga_id)
        return cls(record) if record else None

    @classmethod
    def by_key(cls, key):
        record = SagaRecord.query.filter_by(idempotency_key=key).first() if key else None
        return cls(record) if record else None

    @classmethod
    def begin(cls, order, key=None):
        record = SagaRecord(status=RUNNING, order=order, idempotency_key=key)
        db.session.add(record)
        db.session.flush()  # gives the id
        db.session.add_all(StepRecord(saga_id=record.id, position=i, name=s.name, status=PENDING) for i, s in enumerate(STEPS, 1))
        db.session.commit()
        return cls(record)

    def steps(self):
        return StepRecord.query.filter_by(saga_id=self.record.id).order_by(StepRecord.position).all()

    def _mark(self, obj, status, **extra):
        obj.status = status
        for key, value in extra.items():
            setattr(obj, key, value)
        db.session.commit()

    def execute(self):
        completed = []
        for row in self.steps():
            try:
                BY_NAME[row.name].action(self.record.id, self.record.order)
            except services.StepFailed as exc:
                db.session.rollback()
                row.status = FAILED
                self._mark(self.record, COMPENSATING, error=str(exc))
                self._compensate(completed)
                return self
            self._mark(row, DONE)
            completed.append(row)
        self._mark(self.record, COMPLETED)
        return self

    def _compensate(self, completed):
        while completed:
            row = completed.pop()  # last completed first
            undo = BY_NAME[row.name].compensation
            if undo is not None:
                undo(self.record.id)
            self._mark(row, COMPENSATED)
        self._mark(self.record, "compensated")

    @property
    def http_status(self):
        return 201 if self.record.status == COMPLETED else 422

    def as_json(self):
        compensation = {s.name: (s.compensation.__name__ if s.compensation else None) for s in STEPS}
        return {
            "id": self.record.id,
            "status": self.record.status,
            "order": self.record.order,
            "error": self.record.error,
            "steps": [{"name": r.name, "status": r.status, "compensation": compensation[r.name]} for r in self.steps()],
        }
