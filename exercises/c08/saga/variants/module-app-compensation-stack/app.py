"""Orders through a saga, written out step by step with a stack of compensations; a module-level app."""
import os
import uuid

from flask import Flask, abort, request
from werkzeug.exceptions import HTTPException

import services
from models import db, seed

app = Flask(__name__, instance_relative_config=True)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "orders.db")
app.config["SAGA_FAIL_STEP"] = None
os.makedirs(app.instance_path, exist_ok=True)
db.init_app(app)

STEP_NAMES = ("reserve_stock", "charge_payment", "schedule_shipping")
UNDO_NAMES = {"reserve_stock": "release_stock", "charge_payment": "refund_payment", "schedule_shipping": None}


class Saga(db.Model):
    __tablename__ = "sagas"
    id = db.Column(db.String(36), primary_key=True)
    status = db.Column(db.String(20), nullable=False)
    order = db.Column(db.JSON, nullable=False)
    error = db.Column(db.Text)
    idempotency_key = db.Column(db.String(200), unique=True)


class SagaStep(db.Model):
    __tablename__ = "saga_steps"
    saga_id = db.Column(db.String(36), db.ForeignKey("sagas.id"), primary_key=True)
    position = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), nullable=False)
    status = db.Column(db.String(20), nullable=False)


def saga_json(saga):
    steps = db.session.execute(db.select(SagaStep).filter_by(saga_id=saga.id).order_by(SagaStep.position)).scalars()
    return {"id": saga.id, "status": saga.status, "order": saga.order, "error": saga.error,
            "steps": [{"name": s.name, "status": s.status, "compensation": UNDO_NAMES[s.name]} for s in steps]}


def set_status(row, status):
    row.status = status
    db.session.commit()


def run_saga(saga):
    steps = {s.name: s for s in db.session.execute(db.select(SagaStep).filter_by(saga_id=saga.id)).scalars()}
    order, sid = saga.order, saga.id
    undo = []  # (step row, compensation) of the steps that completed, most recent last
    try:
        services.reserve_stock(sid, order["sku"], order["quantity"])
        set_status(steps["reserve_stock"], "done")
        undo.append((steps["reserve_stock"], lambda: services.release_stock(sid)))

        services.charge_payment(sid, order["amount_cents"])
        set_status(steps["charge_payment"], "done")
        undo.append((steps["charge_payment"], lambda: services.refund_payment(sid)))

        services.schedule_shipping(sid, order["sku"], order["quantity"])
        set_status(steps["schedule_shipping"], "done")
    except services.StepFailed as exc:
        db.session.rollback()
        failed = next(s for s in sorted(steps.values(), key=lambda s: s.position) if s.status == "pending")
        failed.status = "failed"
        saga.error = str(exc)
        set_status(saga, "compensating")
        while undo:
            row, compensation = undo.pop()
            compensation()
            set_status(row, "compensated")
        set_status(saga, "compensated")
        return
    set_status(saga, "completed")


def validated(data):
    if not isinstance(data, dict):
        abort(400, description="send a JSON object")
    sku, quantity, amount = data.get("sku"), data.get("quantity"), data.get("amount_cents")
    if not isinstance(sku, str) or not sku.strip():
        abort(400, description="sku must be a non-blank string")
    for name, value in (("quantity", quantity), ("amount_cents", amount)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            abort(400, description=f"{name} must be a whole number of 1 or more")
    return {"sku": sku.strip(), "quantity": quantity, "amount_cents": amount}


@app.errorhandler(HTTPException)
def json_error(error):
    return {"error": error.description}, error.code


@app.post("/api/orders")
def create_order():
    key = request.headers.get("Idempotency-Key")
    saga = db.session.execute(db.select(Saga).filter_by(idempotency_key=key)).scalar_one_or_none() if key else None
    if saga is None:
        order = validated(request.get_json(silent=True))
        saga = Saga(id=str(uuid.uuid4()), status="running", order=order, idempotency_key=key)
        db.session.add(saga)
        db.session.add_all(SagaStep(saga_id=saga.id, position=i, name=n, status="pending") for i, n in enumerate(STEP_NAMES, 1))
        db.session.commit()
        run_saga(saga)
    return saga_json(saga), 201 if saga.status == "completed" else 422, {"Location": f"/api/sagas/{saga.id}"}


@app.get("/api/sagas/<saga_id>")
def get_saga(saga_id):
    saga = db.session.get(Saga, saga_id)
    if saga is None:
        abort(404, description="no such saga")
    return saga_json(saga)


with app.app_context():
    db.create_all()
    seed()
