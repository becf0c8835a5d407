"""The /api/books resource.

Reading works already. Your job: create, update, delete, pagination and filtering.
"""

from flask import Blueprint, request  # noqa: F401  (request: you will need it)

from models import Book, db

bp = Blueprint("books", __name__, url_prefix="/api/books")


@bp.get("")
def list_books():
    # TODO: paginate with ?page= and ?per_page= (default 10, at most 50), filter with ?author=,
    #       and answer {"items": [...], "page": ..., "per_page": ..., "total": ..., "pages": ...}
    books = db.session.execute(db.select(Book).order_by(Book.id)).scalars()
    return [book.to_dict() for book in books]


@bp.get("/<int:book_id>")
def get_book(book_id):
    book = db.session.get(Book, book_id)
    if book is None:
        return {"error": f"Book {book_id} not found"}, 404
    return book.to_dict()


# TODO: POST /api/books             -> 201 with the new book, or 400 with {"errors": {...}}
# TODO: PATCH /api/books/<book_id>  -> 200 with the updated book, 400 or 404
# TODO: DELETE /api/books/<book_id> -> 204, or 404
