"""Factory; both lists in ONE statement each: joinedload, with .unique() for the collection."""
import os

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import contains_eager, joinedload

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
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "library.db")
    app.config.update(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)

    @app.get("/api/authors")
    def list_authors():
        # A LEFT OUTER JOIN repeats each author once per book: unique() folds them back.
        stmt = db.select(Author).options(joinedload(Author.books)).order_by(Author.id)
        authors = db.session.execute(stmt).unique().scalars().all()
        return {"items": [
            {"id": a.id, "name": a.name, "book_count": len(a.books),
             "books": [{"id": b.id, "title": b.title} for b in a.books]}
            for a in authors
        ]}

    @app.get("/api/books")
    def list_books():
        # An explicit JOIN that also fills Book.author.
        stmt = db.select(Book).join(Book.author).options(contains_eager(Book.author)).order_by(Book.id)
        books = db.session.execute(stmt).scalars().all()
        return {"items": [
            {"id": b.id, "title": b.title, "author": {"id": b.author.id, "name": b.author.name}} for b in books
        ]}

    with app.app_context():
        db.create_all()
    return app
