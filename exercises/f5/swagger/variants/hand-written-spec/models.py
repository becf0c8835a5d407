"""The database and the Book model."""

from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    author = db.Column(db.String(100), nullable=False, index=True)
    year = db.Column(db.Integer, nullable=True)

    def to_dict(self):
        """The JSON shape of a book (a tiny serializer)."""
        return {"id": self.id, "title": self.title, "author": self.author, "year": self.year}
