"""The books API."""
from flask import Blueprint, abort, request

from models import Book, db

bp = Blueprint("books", __name__, url_prefix="/books")


def _text_field(data, name):
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        abort(400, description=f"{name} must be a non-empty string")
    return value.strip()


def _year_field(data):
    """published_year is optional: an integer, or null/absent when unknown."""
    year = data.get("published_year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        abort(400, description="published_year must be an integer")
    return year


@bp.get("")
def list_books():
    books = db.session.execute(db.select(Book).order_by(Book.id)).scalars()
    return [book.to_dict() for book in books]


@bp.post("")
def create_book():
    data = request.get_json(silent=True) or {}
    book = Book(
        title=_text_field(data, "title"),
        author=_text_field(data, "author"),
        published_year=_year_field(data),
    )
    db.session.add(book)
    db.session.commit()
    return book.to_dict(), 201
