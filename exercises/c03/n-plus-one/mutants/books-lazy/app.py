"""Authors and books: list endpoints with eager loading, a constant number of queries."""
import os

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import joinedload, selectinload

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


def author_to_dict(author):
    books = author.books  # already loaded by selectinload: no query here
    return {
        "id": author.id,
        "name": author.name,
        "book_count": len(books),
        "books": [{"id": b.id, "title": b.title} for b in books],
    }


def book_to_dict(book):
    return {"id": book.id, "title": book.title, "author": {"id": book.author.id, "name": book.author.name}}


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
        # 2 statements: the authors, then all their books in one SELECT ... WHERE author_id IN (...)
        stmt = db.select(Author).options(selectinload(Author.books)).order_by(Author.id)
        authors = db.session.execute(stmt).scalars().all()
        return {"items": [author_to_dict(a) for a in authors]}

    @app.get("/api/books")
    def list_books():
        # 1 statement: many-to-one, so a JOIN adds no duplicate rows
        stmt = db.select(Book).order_by(Book.id)
        books = db.session.execute(stmt).scalars().all()
        return {"items": [book_to_dict(b) for b in books]}

    with app.app_context():
        db.create_all()
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
