"""Authors and books. The list endpoints are correct but slow: find and fix the N+1."""
import os

from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100), nullable=False)
    books = db.relationship("Book", back_populates="author", order_by="Book.id")


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("author.id"), nullable=False, index=True)
    author = db.relationship("Author", back_populates="books")


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "library.db"),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)

    @app.get("/api/authors")
    def list_authors():
        authors = db.session.execute(db.select(Author).order_by(Author.id)).scalars().all()
        items = []
        for author in authors:
            # One COUNT query per author...
            count = db.session.execute(
                db.select(db.func.count(Book.id)).where(Book.author_id == author.id)
            ).scalar_one()
            items.append({
                "id": author.id,
                "name": author.name,
                "book_count": count,
                # ...and one SELECT per author, when author.books is first touched (lazy load).
                "books": [{"id": b.id, "title": b.title} for b in author.books],
            })
        return {"items": items}

    @app.get("/api/books")
    def list_books():
        books = db.session.execute(db.select(Book).order_by(Book.id)).scalars().all()
        return {"items": [
            # book.author: one SELECT per author not yet loaded.
            {"id": b.id, "title": b.title, "author": {"id": b.author.id, "name": b.author.name}}
            for b in books
        ]}

    with app.app_context():
        db.create_all()
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
