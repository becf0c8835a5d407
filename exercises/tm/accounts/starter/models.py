"""The database models."""

from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash  # noqa: F401  (you will need them)

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(30), unique=True, nullable=False)
    # TODO: password_hash column (never store the password itself)

    # TODO: set_password(password) and check_password(password) with werkzeug.security

    def to_dict(self):
        return {"id": self.id, "username": self.username}
