"""The /api/books resource. It works, but its errors are HTML pages or ad-hoc JSON."""

from flask import Blueprint, request

from models import Book, db

bp = Blueprint("books", __name__, url_prefix="/api/books")


def validate_book(data):
    """Return a dict field -> message for every invalid field of a new book."""
    errors = {}
    for field in ("title", "author"):
        value = data.get(field)
        if not isinstance(value, str) or not value.strip():
            errors[field] = f"{field} is required and must be a non-empty string"
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
    data = request.get_json()  # an invalid body raises a 400 error (an HTML page for now)
    errors = validate_book(data)
    if errors:
        # TODO: answer 422 with the JSON error format (and the field errors in "fields")
        return {"errors": errors}, 400
    book = Book(title=data["title"].strip(), author=data["author"].strip(), year=data.get("year"))
    db.session.add(book)
    db.session.commit()
    return book.to_dict(), 201


@bp.get("/<int:book_id>")
def get_book(book_id):
    return db.get_or_404(Book, book_id).to_dict()


@bp.delete("/<int:book_id>")
def delete_book(book_id):
    book = db.get_or_404(Book, book_id)
    db.session.delete(book)
    db.session.commit()
    return "", 204
