"""Users (searched by name) and comments (shown on a page)."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), unique=True, nullable=False)
    email = db.Column(db.String(120), nullable=False)

    def to_dict(self):
        return {"username": self.username, "email": self.email}


class Comment(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    author = db.Column(db.String(80), nullable=False)
    body = db.Column(db.Text, nullable=False)

    def to_dict(self):
        return {"id": self.id, "author": self.author, "body": self.body}
