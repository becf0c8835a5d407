"""The User model: the password itself is never stored, only a salted hash of it."""
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash  # noqa: F401 - for you

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), unique=True, nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)

    def set_password(self, password):
        # TODO: store a salted hash of the password in self.password_hash, never the password.
        raise NotImplementedError("set_password")

    def check_password(self, password):
        # TODO: True when `password` matches the stored hash.
        raise NotImplementedError("check_password")

    def to_dict(self):
        return {"id": self.id, "username": self.username}
