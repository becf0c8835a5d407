"""The database of the three local services (inventory, payments, shipping) and the ledger where
they write down every action they take. Given: the saga's own tables go in saga.py."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Product(db.Model):
    __tablename__ = "products"
    sku = db.Column(db.String(20), primary_key=True)
    name = db.Column(db.String(100), nullable=False)
    stock = db.Column(db.Integer, nullable=False)


class Reservation(db.Model):
    """Inventory: units set aside for one saga (held, then released by the compensation)."""
    __tablename__ = "reservations"
    saga_id = db.Column(db.String(36), primary_key=True)
    sku = db.Column(db.String(20), nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    status = db.Column(db.String(10), nullable=False)  # held, released


class Payment(db.Model):
    """Payments: one charge per saga (charged, then refunded by the compensation)."""
    __tablename__ = "payments"
    saga_id = db.Column(db.String(36), primary_key=True)
    amount_cents = db.Column(db.Integer, nullable=False)
    status = db.Column(db.String(10), nullable=False)  # charged, refunded


class Shipment(db.Model):
    """Shipping: one shipment per saga."""
    __tablename__ = "shipments"
    saga_id = db.Column(db.String(36), primary_key=True)
    sku = db.Column(db.String(20), nullable=False)
    quantity = db.Column(db.Integer, nullable=False)


class LedgerEntry(db.Model):
    """What the services did, in order: reserve, release, charge, refund, ship."""
    __tablename__ = "ledger"
    id = db.Column(db.Integer, primary_key=True)
    saga_id = db.Column(db.String(36), nullable=False, index=True)
    action = db.Column(db.String(10), nullable=False)
    detail = db.Column(db.String(200), nullable=False)


SEED = [("KB-1", "Mechanical keyboard", 5), ("MN-2", "27-inch monitor", 2)]


def seed():
    if db.session.get(Product, "KB-1") is None:
        db.session.add_all(Product(sku=sku, name=name, stock=stock) for sku, name, stock in SEED)
        db.session.commit()
