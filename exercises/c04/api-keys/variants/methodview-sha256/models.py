from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class ClientKey(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)
    prefix = db.Column(db.String(16), unique=True, nullable=False, index=True)
    sha256 = db.Column(db.String(64), nullable=False)
    revoked = db.Column(db.Boolean, nullable=False, default=False)
    created = db.Column(db.DateTime, nullable=False, default=lambda: datetime.now(timezone.utc))

    def public(self):
        return {"id": self.id, "name": self.name, "prefix": self.prefix, "revoked": self.revoked}
