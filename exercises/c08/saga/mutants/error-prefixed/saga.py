"""An orchestrated saga: the order's steps run one after the other; when one fails, the compensations
of the steps that completed run in reverse order. Every change of state is committed at once, so the
tables always tell where a saga stands."""
import uuid
from datetime import datetime, timezone

from sqlalchemy.exc import IntegrityError

import services
from models import db


class Saga(db.Model):
    __tablename__ = "sagas"
    id = db.Column(db.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    status = db.Column(db.String(20), nullable=False, default="running")
    order = db.Column(db.JSON, nullable=False)
    error = db.Column(db.String(500))
    idempotency_key = db.Column(db.String(200), unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=lambda: datetime.now(timezone.utc))
    steps = db.relationship("SagaStep", order_by="SagaStep.position", back_populates="saga")

    def to_dict(self):
        return {
            "id": self.id,
            "status": self.status,
            "order": self.order,
            "error": self.error,
            "steps": [step.to_dict() for step in self.steps],
        }


class SagaStep(db.Model):
    __tablename__ = "saga_steps"
    id = db.Column(db.Integer, primary_key=True)
    saga_id = db.Column(db.String(36), db.ForeignKey("sagas.id"), nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False)
    name = db.Column(db.String(40), nullable=False)
    status = db.Column(db.String(20), nullable=False, default="pending")
    saga = db.relationship("Saga", back_populates="steps")

    def to_dict(self):
        return {"name": self.name, "status": self.status, "compensation": COMPENSATIONS[self.name][0]}


# Each step: what it does (given the saga id and the order) and, when it can be undone, its compensation.
ACTIONS = {
    "reserve_stock": lambda saga_id, order: services.reserve_stock(saga_id, order["sku"], order["quantity"]),
    "charge_payment": lambda saga_id, order: services.charge_payment(saga_id, order["amount_cents"]),
    "schedule_shipping": lambda saga_id, order: services.schedule_shipping(saga_id, order["sku"], order["quantity"]),
}
COMPENSATIONS = {
    "reserve_stock": ("release_stock", services.release_stock),
    "charge_payment": ("refund_payment", services.refund_payment),
    "schedule_shipping": (None, None),  # the last step: nothing after it can fail
}
STEPS = list(ACTIONS)


def start(order, idempotency_key=None):
    """Creates the saga with every step pending (committed), then runs it. When another request with the
    same Idempotency-Key won the race to insert, answers that saga instead."""
    saga = Saga(order=order, idempotency_key=idempotency_key)
    saga.steps = [SagaStep(position=i, name=name) for i, name in enumerate(STEPS, start=1)]
    db.session.add(saga)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if idempotency_key is None:
            raise
        return db.session.execute(db.select(Saga).filter_by(idempotency_key=idempotency_key)).scalar_one()
    run(saga)
    return saga


def _set(obj, status):
    obj.status = status
    db.session.commit()  # before anything else happens: a crash leaves the tables telling the truth


def run(saga):
    done = []
    for step in saga.steps:
        try:
            ACTIONS[step.name](saga.id, saga.order)
        except services.StepFailed as exc:
            db.session.rollback()
            step.status = "failed"
            saga.error = f"{step.name} failed: {exc}"
            _set(saga, "compensating")
            compensate(saga, done)
            return
        _set(step, "done")
        done.append(step)
    _set(saga, "completed")


def compensate(saga, done):
    """Undoes the completed steps, last first."""
    for step in reversed(done):
        name, undo = COMPENSATIONS[step.name]
        if undo is not None:
            undo(saga.id)
        _set(step, "compensated")
    _set(saga, "compensated")
