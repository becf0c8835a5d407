"""One module. Levenshtein is registered as an SQL function on every SQLite connection, so the
best correction is chosen by one ORDER BY over the fts5vocab table."""
import os
import re
from functools import lru_cache

from flask import Flask, abort, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, text
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()


@lru_cache(maxsize=4096)
def edit_distance(a, b):
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        diagonal, row[0] = row[0], i
        for j in range(1, len(b) + 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1]))
    return row[len(b)]


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    author = db.Column(db.String(200), nullable=False)


@event.listens_for(Book, "after_insert")
def add_to_index(mapper, connection, target):
    connection.execute(text("INSERT INTO books_idx (rowid, title, author) VALUES (:i, :t, :a)"),
                       {"i": target.id, "t": target.title, "a": target.author})


@event.listens_for(Book, "after_delete")
def drop_from_index(mapper, connection, target):
    connection.execute(text("DELETE FROM books_idx WHERE rowid = :i"), {"i": target.id})


CLOSEST = text(
    "SELECT term FROM books_terms "
    "WHERE length(term) BETWEEN :lo AND :hi AND levenshtein(term, :w) <= :cap "
    "ORDER BY levenshtein(term, :w), doc DESC, term LIMIT 1"
)


def fix(word):
    if db.session.execute(text("SELECT 1 FROM books_terms WHERE term = :w"), {"w": word}).first():
        return word
    cap = 1 if len(word) <= 4 else 2
    best = db.session.execute(CLOSEST, {"w": word, "cap": cap, "lo": len(word) - cap, "hi": len(word) + cap}).scalar()
    return best or word


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "books.db")
    app.config.update(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)

    with app.app_context():
        @event.listens_for(db.engine, "connect")
        def register_functions(dbapi_connection, connection_record):
            dbapi_connection.create_function("levenshtein", 2, edit_distance, deterministic=True)

        db.create_all()
        with db.engine.begin() as conn:
            conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS books_idx USING fts5(title, author)"))
            conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS books_terms USING fts5vocab(books_idx, row)"))

    @app.errorhandler(HTTPException)
    def error_json(e):
        return jsonify(error=e.description), e.code

    @app.route("/api/books", methods=["POST"])
    def add_book():
        data = request.get_json(silent=True) or {}
        title, author = data.get("title"), data.get("author") if isinstance(data, dict) else None
        if not all(isinstance(v, str) and v.strip() for v in (title, author)):
            abort(400, "title and author must be non-blank strings")
        book = Book(title=title.strip(), author=author.strip())
        db.session.add(book)
        db.session.commit()
        return {"id": book.id, "title": book.title, "author": book.author}, 201

    @app.route("/api/books/<int:book_id>", methods=["DELETE"])
    def remove_book(book_id):
        db.session.delete(db.get_or_404(Book, book_id))
        db.session.commit()
        return "", 204

    @app.route("/api/books/search")
    def search():
        q = request.args.get("q", "")
        if not q.strip():
            abort(400, "q must not be blank")
        words = re.findall(r"\w+", q.lower())
        fixed = [fix(w) for w in words]
        items = []
        if fixed:
            rows = db.session.execute(text(
                "SELECT rowid, title, author FROM books_idx WHERE books_idx MATCH :m ORDER BY rank, rowid"),
                {"m": " ".join('"%s"' % w for w in fixed)})
            items = [{"id": r.rowid, "title": r.title, "author": r.author} for r in rows]
        return {"query": q, "corrected": " ".join(fixed) if fixed != words else None, "items": items}

    return app
