"""Vocabulary computed in Python from the book table (what the unicode61 tokenizer would index
for ASCII text), corrections with difflib-free dynamic programming, MethodViews, Model.query."""
import os
import re
from collections import Counter

from flask import Flask, abort, request
from flask.views import MethodView
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()
TOKEN = re.compile(r"[^\W_]+")


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    author = db.Column(db.String(200), nullable=False)

    def as_json(self):
        return {"id": self.id, "title": self.title, "author": self.author}


def tokens(value):
    return TOKEN.findall(value.lower())


def distance(a, b):
    table = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    return table[-1][-1]


def vocabulary():
    """term -> number of books holding it, read fresh on every search."""
    counts = Counter()
    for title, author in db.session.execute(db.select(Book.title, Book.author)):
        counts.update(set(tokens(title)) | set(tokens(author)))
    return counts


def corrected_words(words):
    vocab = vocabulary()
    out = []
    for word in words:
        if word in vocab:
            out.append(word)
            continue
        cap = 1 if len(word) <= 4 else 2
        scored = sorted((distance(word, term), -count, term) for term, count in vocab.items() if abs(len(term) - len(word)) <= cap)
        out.append(scored[0][2] if scored and scored[0][0] <= cap else word)
    return out


class BookList(MethodView):
    def post(self):
        data = request.get_json(silent=True)
        if not isinstance(data, dict) or not all(isinstance(data.get(k), str) and data[k].strip() for k in ("title", "author")):
            abort(400, "title and author are required strings")
        book = Book(title=data["title"].strip(), author=data["author"].strip())
        db.session.add(book)
        db.session.flush()
        db.session.execute(text("INSERT INTO catalogue_fts (rowid, title, author) VALUES (:id, :title, :author)"), book.as_json())
        db.session.commit()
        return book.as_json(), 201


class BookItem(MethodView):
    def delete(self, book_id):
        book = Book.query.get_or_404(book_id)
        db.session.execute(text("DELETE FROM catalogue_fts WHERE rowid = :id"), {"id": book.id})
        db.session.delete(book)
        db.session.commit()
        return "", 204


class BookSearch(MethodView):
    def get(self):
        q = request.args.get("q", "").strip()
        if not q:
            abort(400, "q is required")
        words = tokens(q)
        fixed = corrected_words(words)
        books = []
        if fixed:
            ids = [r[0] for r in db.session.execute(
                text("SELECT rowid FROM catalogue_fts WHERE catalogue_fts MATCH :m ORDER BY bm25(catalogue_fts), rowid"),
                {"m": " AND ".join('"%s"' % w for w in fixed)})]
            by_id = {b.id: b for b in Book.query.filter(Book.id.in_(ids))}
            books = [by_id[i].as_json() for i in ids]
        return {"query": request.args["q"], "corrected": " ".join(fixed) if fixed != words else None, "items": books}


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "catalogue.db"))
    app.config.from_mapping(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    app.register_error_handler(HTTPException, lambda e: ({"error": e.description}, e.code))
    app.add_url_rule("/api/books", view_func=BookList.as_view("books"))
    app.add_url_rule("/api/books/<int:book_id>", view_func=BookItem.as_view("book"))
    app.add_url_rule("/api/books/search", view_func=BookSearch.as_view("search"))
    with app.app_context():
        db.create_all()
        db.session.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS catalogue_fts USING fts5(title, author)"))
        db.session.commit()
    return app
