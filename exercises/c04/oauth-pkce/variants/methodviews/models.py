"""The database: users, and the authorization server's codes and access tokens.

Codes and tokens are stored as their SHA-256 hashes, like passwords: whoever reads the
database (a backup, a leak) cannot use them.
"""
import hashlib

from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def sha256_hex(value):
    """The hash stored for a code or a token."""
    return hashlib.sha256(value.encode()).hexdigest()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), unique=True, nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)


class AuthorizationCode(db.Model):
    """A one-use code issued by GET /oauth/authorize, bound to its client, redirect URI and challenge."""
    code_hash = db.Column(db.String(64), primary_key=True)
    client_id = db.Column(db.String(80), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    redirect_uri = db.Column(db.String(500), nullable=False)
    code_challenge = db.Column(db.String(128), nullable=False)
    code_challenge_method = db.Column(db.String(10), nullable=False, default="S256")
    expires_at = db.Column(db.Float, nullable=False)  # seconds since the epoch (time.time())


class AccessToken(db.Model):
    """An access token issued by POST /oauth/token."""
    token_hash = db.Column(db.String(64), primary_key=True)
    client_id = db.Column(db.String(80), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    expires_at = db.Column(db.Float, nullable=False)
