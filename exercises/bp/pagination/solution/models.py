"""The database models."""

from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

db = SQLAlchemy()

ROLES = ("user", "moderator", "admin")
POST_STATUSES = ("draft", "published")
COMMENT_STATUSES = ("pending", "approved", "rejected")


def utcnow():
    """The current UTC time, without a zone (SQLite stores none): every time here is UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def iso(moment):
    """A stored UTC time as ISO 8601 with a Z, or None."""
    return moment.isoformat() + "Z" if moment is not None else None


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


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    # The permalink: unique, and never changed once given (links to the post must keep working).
    slug = db.Column(db.String(220), unique=True, nullable=False)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)
    status = db.Column(db.String(10), nullable=False, default="draft")
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    published_at = db.Column(db.DateTime, nullable=True)

    author = db.relationship(User)

    @property
    def is_published(self):
        return self.status == "published"

    def publish(self):
        """Publish; the first publication date is kept forever (unpublish + publish keeps it)."""
        self.status = "published"
        if self.published_at is None:
            self.published_at = utcnow()

    def unpublish(self):
        self.status = "draft"

    def to_dict(self):
        return {
            "id": self.id,
            "slug": self.slug,
            "title": self.title,
            "body": self.body,
            "status": self.status,
            "author": self.author.username,
            "created_at": iso(self.created_at),
            "published_at": iso(self.published_at),
        }


class Comment(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    post_id = db.Column(db.Integer, db.ForeignKey("post.id"), nullable=False, index=True)
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    # Stored exactly as written: HTML in it is escaped where it is rendered, never here.
    body = db.Column(db.Text, nullable=False)
    # Every new comment waits for a moderator: only "approved" ones are ever shown publicly.
    status = db.Column(db.String(10), nullable=False, default="pending", index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    post = db.relationship(Post)
    author = db.relationship(User)

    def to_dict(self):
        return {
            "id": self.id,
            "post": self.post.slug,
            "author": self.author.username,
            "body": self.body,
            "status": self.status,
            "created_at": iso(self.created_at),
        }
