"""The User model: the password itself is never stored, only a salted hash of it."""
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), unique=True, nullable=False)
    # A hash is one-way: you can check a password against it, but not get the password back.
    # 255 characters leave room for every method Werkzeug uses (pbkdf2, scrypt).
    password_hash = db.Column(db.String(255), nullable=False)

    def set_password(self, password):
        # A fresh random salt for every hash: two users with the same password get
        # different hashes, and precomputed tables of hashes are useless.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def to_dict(self):
        return {"id": self.id, "username": self.username}
