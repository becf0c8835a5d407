"""A book catalogue with a typo-tolerant search ("did you mean")."""
import os
import re

from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, text
from werkzeug.exceptions import HTTPException

from fuzzy import correct

db = SQLAlchemy()

SEARCH_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS book_fts USING fts5(title, author)",
    # The index's vocabulary: one row per term with the number of books holding it (doc).
    "CREATE VIRTUAL TABLE IF NOT EXISTS book_vocab USING fts5vocab(book_fts, 'row')",
]


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    author = db.Column(db.String(200), nullable=False)

    def to_dict(self):
        return {"id": self.id, "title": self.title, "author": self.author}


@event.listens_for(Book, "after_insert")
@event.listens_for(Book, "after_update")
def index_book(mapper, connection, target):
    connection.execute(text("DELETE FROM book_fts WHERE rowid = :id"), {"id": target.id})
    connection.execute(
        text("INSERT INTO book_fts (rowid, title, author) VALUES (:id, :title, :author)"),
        {"id": target.id, "title": target.title, "author": target.author},
    )


@event.listens_for(Book, "after_delete")
def unindex_book(mapper, connection, target):
    connection.execute(text("DELETE FROM book_fts WHERE rowid = :id"), {"id": target.id})


def words_of(q):
    """The words of q, lower-cased: never FTS5 syntax once each is quoted."""
    return re.findall(r"\w+", q.lower())


def find_books(connection, words):
    match = " ".join('"%s"' % w for w in words)
    rows = connection.execute(
        text(
            "SELECT b.id, b.title, b.author FROM book_fts JOIN book AS b ON b.id = book_fts.rowid "
            "WHERE book_fts MATCH :match ORDER BY bm25(book_fts), b.id"
        ),
        {"match": match},
    ).mappings()
    return [dict(row) for row in rows]


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "books.db"),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    @app.post("/api/books")
    def create_book():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            abort(400, description="send a JSON object")
        for field in ("title", "author"):
            if not isinstance(data.get(field), str) or not data[field].strip():
                abort(400, description=f"{field} must be a non-blank string")
        book = Book(title=data["title"].strip(), author=data["author"].strip())
        db.session.add(book)
        db.session.commit()
        return book.to_dict(), 201

    @app.delete("/api/books/<int:book_id>")
    def delete_book(book_id):
        db.session.delete(db.get_or_404(Book, book_id))
        db.session.commit()
        return "", 204

    @app.get("/api/books/search")
    def search_books():
        q = request.args.get("q", "")
        if not q.strip():
            abort(400, description="q is required")
        words = words_of(q)
        if not words:
            return {"query": q, "corrected": None, "items": []}
        connection = db.session.connection()
        fixed = correct(connection, words)
        return {
            "query": q,
            "corrected": " ".join(fixed) if fixed != words else None,
            "items": find_books(connection, fixed),
        }

    with app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            for statement in SEARCH_DDL:
                connection.execute(text(statement))
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
