"""The Book model. Its table is created and changed by migrations, not by db.create_all()."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    author = db.Column(db.String(120), nullable=False)
    # TODO: a new optional integer column, published_year (NULL when the year is unknown).
    # Then write the migration that adds it to the existing table (see README.md).

    def to_dict(self):
        # TODO: include "published_year" in the JSON.
        return {"id": self.id, "title": self.title, "author": self.author}
