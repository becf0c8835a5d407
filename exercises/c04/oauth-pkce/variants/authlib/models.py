"""The database: users, authorization codes and access tokens (stored as SHA-256 hashes), with
the methods Authlib asks of codes (AuthorizationCodeMixin) and tokens (TokenMixin)."""
import hashlib
import time

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, TokenMixin
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def sha256_hex(value):
    return hashlib.sha256(value.encode()).hexdigest()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), unique=True, nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)


class AuthorizationCode(db.Model, AuthorizationCodeMixin):
    code_hash = db.Column(db.String(64), primary_key=True)
    client_id = db.Column(db.String(80), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    user = db.relationship(User)
    redirect_uri = db.Column(db.String(500), nullable=False)
    scope = db.Column(db.Text, nullable=False, default="")
    code_challenge = db.Column(db.String(128), nullable=False)
    code_challenge_method = db.Column(db.String(10), nullable=False)
    expires_at = db.Column(db.Float, nullable=False)

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def is_expired(self):
        return self.expires_at <= time.time()


class AccessToken(db.Model, TokenMixin):
    token_hash = db.Column(db.String(64), primary_key=True)
    client_id = db.Column(db.String(80), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    user = db.relationship(User)
    scope = db.Column(db.Text, nullable=False, default="")
    issued_at = db.Column(db.Float, nullable=False)
    expires_in = db.Column(db.Integer, nullable=False)

    def check_client(self, client):
        return self.client_id == client.get_client_id()

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_expired(self):
        return self.issued_at + self.expires_in <= time.time()

    def is_revoked(self):
        return False

    def get_user(self):
        return self.user
