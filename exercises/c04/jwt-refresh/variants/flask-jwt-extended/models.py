"""Users, their login sessions (one per login: a family of refresh tokens) and the refresh tokens issued.

Revocation lives here, in the database, so every worker process and every server sees it:
a session whose revoked_at is set ends all its tokens; a refresh token whose used_at is set
was rotated and must never be accepted again.
"""
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(30), unique=True, nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def to_dict(self):
        return {"id": self.id, "username": self.username}


class LoginSession(db.Model):
    """One login: every token issued from it (and from its refreshes) carries its id as "sid"."""

    __tablename__ = "login_session"
    id = db.Column(db.String(32), primary_key=True)  # uuid4().hex
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    created_at = db.Column(db.Integer, nullable=False)  # Unix seconds
    revoked_at = db.Column(db.Integer, nullable=True)  # set by logout or by refresh-token reuse


class RefreshToken(db.Model):
    """A refresh token issued (by its jti); used_at is set when it is exchanged (rotated)."""

    __tablename__ = "refresh_token"
    jti = db.Column(db.String(32), primary_key=True)
    session_id = db.Column(db.String(32), db.ForeignKey("login_session.id"), nullable=False, index=True)
    expires_at = db.Column(db.Integer, nullable=False)  # Unix seconds, to purge old rows
    used_at = db.Column(db.Integer, nullable=True)
