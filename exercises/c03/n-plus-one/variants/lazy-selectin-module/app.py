"""Module-level app; eager loading declared on the relationships (lazy="selectin"/"joined")."""
import os

from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__, instance_relative_config=True)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "library.db")
os.makedirs(app.instance_path, exist_ok=True)
db = SQLAlchemy(app)


class Author(db.Model):
    __tablename__ = "author"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100), nullable=False)
    # Always loaded with one extra SELECT ... IN for a whole list of authors.
    books = db.relationship("Book", back_populates="author", order_by="Book.id", lazy="selectin")


class Book(db.Model):
    __tablename__ = "book"
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("author.id"), nullable=False, index=True)
    author = db.relationship("Author", back_populates="books", lazy="joined")


@app.route("/api/authors")
def list_authors():
    authors = Author.query.order_by(Author.id).all()
    return jsonify(items=[
        {"id": a.id, "name": a.name, "book_count": len(a.books),
         "books": [{"id": b.id, "title": b.title} for b in a.books]}
        for a in authors
    ])


@app.route("/api/books")
def list_books():
    books = Book.query.order_by(Book.id).all()
    return jsonify(items=[
        {"id": b.id, "title": b.title, "author": {"id": b.author.id, "name": b.author.name}} for b in books
    ])


with app.app_context():
    db.create_all()
