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


# TODO: class Product(db.Model) with id, name (db.String(100)), price_cents and stock, both
#       db.Integer (never db.Float: money is counted in whole cents), and to_dict() answering
#       {"id", "name", "price_cents", "stock"}.
