"""The database models."""

from datetime import datetime, timezone  # noqa: F401  (you will need them)

from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

db = SQLAlchemy()

ROLES = ("user", "moderator", "admin")


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(30), unique=True, nullable=False)
    # Only a salted hash is stored: a leaked database must not leak passwords.
    password_hash = db.Column(db.String(255), nullable=False)
    # "user" for everyone who registers; a moderator or an admin is promoted in the database.
    role = db.Column(db.String(20), nullable=False, default="user")

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def to_dict(self):
        return {"id": self.id, "username": self.username, "role": self.role}


# TODO: class Post(db.Model) with id, slug (unique), title, body, status ("draft" or
#       "published"), author_id (a foreign key to user.id), created_at and published_at
#       (None until the post is first published; never changed afterwards).
