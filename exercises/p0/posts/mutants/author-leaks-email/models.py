"""The database models."""

from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

db = SQLAlchemy()


def utcnow():
    return datetime.now(timezone.utc)


def isoformat(moment):
    """ISO 8601 in UTC; SQLite gives back naive datetimes, which we stored in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(30), unique=True, nullable=False)
    email = db.Column(db.String(254), unique=True, nullable=False)
    # Only a salted hash is stored: a leaked database must not leak passwords.
    password_hash = db.Column(db.String(255), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    posts = db.relationship("Post", back_populates="author")

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def to_dict(self, private=False):
        """Public profile; private=True adds what only the user may see (the email)."""
        data = {"id": self.id, "username": self.username, "created_at": isoformat(self.created_at)}
        if private:
            data["email"] = self.email
        return data


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    content = db.Column(db.String(280), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    author = db.relationship("User", back_populates="posts")

    def to_dict(self):
        return {
            "id": self.id,
            "content": self.content,
            "created_at": isoformat(self.created_at),
            "author": {"id": self.author.id, "username": self.author.username, "email": self.author.email},
        }
