"""The /api/books resource; its errors all use the format built in errors.py."""

from flask import Blueprint, abort, request

from errors import error_response
from models import Book, db

bp = Blueprint("books", __name__, url_prefix="/api/books")


def validate_book(data):
    """Return a dict field -> message for every invalid field of a new book."""
    errors = {}
    for field in ("title", "author"):
        value = data.get(field)
        if not isinstance(value, str) or not value.strip():
            return {field: f"{field} is required and must be a non-empty string"}
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        errors["year"] = "year must be an integer"
    return errors


@bp.get("")
def list_books():
    books = db.session.execute(db.select(Book).order_by(Book.id)).scalars()
    return [book.to_dict() for book in books]


@bp.post("")
def create_book():
    # silent=True: None instead of an exception, so we can say precisely what is wrong.
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="The request body must be a JSON object")
    errors = validate_book(data)
    if errors:
        # 400 = "I cannot read your request"; 422 = "I read it, but the content is invalid".
        return error_response(422, "Validation failed", fields=errors)
    book = Book(title=data["title"].strip(), author=data["author"].strip(), year=data.get("year"))
    db.session.add(book)
    db.session.commit()
    return book.to_dict(), 201


@bp.get("/<int:book_id>")
def get_book(book_id):
    book = db.get_or_404(Book, book_id, description=f"Book {book_id} not found")
    return book.to_dict()


@bp.delete("/<int:book_id>")
def delete_book(book_id):
    book = db.get_or_404(Book, book_id, description=f"Book {book_id} not found")
    db.session.delete(book)
    db.session.commit()
    return "", 204
