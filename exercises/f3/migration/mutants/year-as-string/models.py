"""The Book model. Its table is created and changed by migrations, not by db.create_all()."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    author = db.Column(db.String(120), nullable=False)
    # New column. Nullable: the books already in the database have no year, and a migration
    # that adds a NOT NULL column without a default would fail on a table that has rows.
    published_year = db.Column(db.String(4))

    def to_dict(self):
        return {
            "id": self.id,
            "title": self.title,
            "author": self.author,
            "published_year": self.published_year,
        }
