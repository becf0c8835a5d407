"""API keys: only a prefix (to find the row) and a digest of the key are stored, never the key."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class ApiKey(db.Model):
    __tablename__ = "api_key"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)
    prefix = db.Column(db.String(16), unique=True, nullable=False)  # "ft_live_" + 8 characters, shown
    key_hash = db.Column(db.String(64), nullable=False)  # HMAC-SHA256 of the whole key, hex
    created_at = db.Column(db.Integer, nullable=False)  # Unix seconds
    revoked_at = db.Column(db.Integer, nullable=True)

    def to_dict(self):
        return {"id": self.id, "name": self.name, "prefix": self.prefix, "key_hash": self.key_hash,
                "created_at": self.created_at, "revoked": self.revoked_at is not None}
