"""The database models. Money is always an integer number of cents: never a float."""

from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(30), unique=True, nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    is_admin = db.Column(db.Boolean, nullable=False, default=False)

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def to_dict(self):
        return {"id": self.id, "username": self.username, "is_admin": self.is_admin}


class Product(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100), nullable=False)
    # 19.99 EUR is 1999: integers add up exactly, floats do not (0.1 + 0.2 != 0.3).
    price_cents = db.Column(db.Integer, nullable=False)
    stock = db.Column(db.Integer, nullable=False, default=0)

    __table_args__ = (
        db.CheckConstraint("price_cents >= 0", name="ck_product_price_not_negative"),
        db.CheckConstraint("stock >= 0", name="ck_product_stock_not_negative"),
    )

    def to_dict(self):
        return {"id": self.id, "name": self.name, "price_cents": self.price_cents, "stock": self.stock}
