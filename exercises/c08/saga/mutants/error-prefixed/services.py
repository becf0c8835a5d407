"""Three local services the order saga coordinates: inventory, payments and shipping. Given: do not
change this file.

Each service owns its tables and commits its own transaction, as a separate service with its own
database would: nothing here can be rolled back by the saga, only compensated. Every action and
compensation is idempotent: called twice for the same saga id, the second call changes nothing.

A step that cannot be done raises StepFailed (not enough stock, or the step named by the config key
SAGA_FAIL_STEP, which the checks and you use to make a step fail on purpose)."""
from flask import current_app

from models import LedgerEntry, Payment, Product, Reservation, Shipment, db


class StepFailed(Exception):
    """The service refused the step: the saga must compensate what it did before."""


def _enter(step, saga_id):
    probe = current_app.config.get("SAGA_STEP_PROBE")
    if probe is not None:  # the checks look at your saga tables here
        probe(step, saga_id)
    if current_app.config.get("SAGA_FAIL_STEP") == step:
        raise StepFailed(f"{step} failed (SAGA_FAIL_STEP)")


def _write(saga_id, action, detail):
    db.session.add(LedgerEntry(saga_id=saga_id, action=action, detail=detail))
    db.session.commit()


# ---------------------------------------------------------------- inventory

def reserve_stock(saga_id, sku, quantity):
    _enter("reserve_stock", saga_id)
    if db.session.get(Reservation, saga_id) is not None:
        return  # already reserved for this saga
    product = db.session.get(Product, sku)
    if product is None:
        raise StepFailed(f"unknown product {sku}")
    if product.stock < quantity:
        raise StepFailed(f"not enough stock for {sku}: {product.stock} left, {quantity} wanted")
    product.stock -= quantity
    db.session.add(Reservation(saga_id=saga_id, sku=sku, quantity=quantity, status="held"))
    _write(saga_id, "reserve", f"{quantity} x {sku}")


def release_stock(saga_id):
    _enter("release_stock", saga_id)
    reservation = db.session.get(Reservation, saga_id)
    if reservation is None or reservation.status != "held":
        return  # nothing held for this saga (never reserved, or released already)
    db.session.get(Product, reservation.sku).stock += reservation.quantity
    reservation.status = "released"
    _write(saga_id, "release", f"{reservation.quantity} x {reservation.sku}")


# ---------------------------------------------------------------- payments

def charge_payment(saga_id, amount_cents):
    _enter("charge_payment", saga_id)
    if db.session.get(Payment, saga_id) is not None:
        return  # already charged for this saga
    db.session.add(Payment(saga_id=saga_id, amount_cents=amount_cents, status="charged"))
    _write(saga_id, "charge", f"{amount_cents} cents")


def refund_payment(saga_id):
    _enter("refund_payment", saga_id)
    payment = db.session.get(Payment, saga_id)
    if payment is None or payment.status != "charged":
        return  # nothing charged for this saga (or refunded already)
    payment.status = "refunded"
    _write(saga_id, "refund", f"{payment.amount_cents} cents")


# ---------------------------------------------------------------- shipping

def schedule_shipping(saga_id, sku, quantity):
    _enter("schedule_shipping", saga_id)
    if db.session.get(Shipment, saga_id) is not None:
        return
    db.session.add(Shipment(saga_id=saga_id, sku=sku, quantity=quantity))
    _write(saga_id, "ship", f"{quantity} x {sku}")
