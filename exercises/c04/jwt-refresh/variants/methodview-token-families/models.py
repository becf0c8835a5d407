"""Users and token families. A family is one login: every refresh token it produced is a row
with the family's id; revoking the family marks them all, and access tokens carry the family id."""
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


class IssuedRefreshToken(db.Model):
    __tablename__ = "issued_refresh_token"
    jti = db.Column(db.String(36), primary_key=True)
    family = db.Column(db.String(36), nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    exchanged = db.Column(db.Boolean, nullable=False, default=False)
    family_revoked = db.Column(db.Boolean, nullable=False, default=False)

    @classmethod
    def family_is_revoked(cls, family):
        return cls.query.filter_by(family=family, family_revoked=True).first() is not None \
            or cls.query.filter_by(family=family).first() is None

    @classmethod
    def revoke_family(cls, family):
        cls.query.filter_by(family=family).update({"family_revoked": True})
