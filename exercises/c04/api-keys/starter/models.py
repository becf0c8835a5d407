"""API keys.

TODO: never store a key. Keep its public prefix (to find the row), a hash of the key, and
whether it is revoked.
"""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class ApiKey(db.Model):
    __tablename__ = "api_key"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)
    # TODO: prefix, a hash of the key, revoked
