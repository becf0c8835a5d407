"""The /api/books resource: create, read (paginated, filterable), update, delete."""

from flask import Blueprint, request

from models import Book, db

bp = Blueprint("books", __name__, url_prefix="/api/books")

DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 50  # never let a client ask for the whole table at once


def validate_book(data, partial=False):
    """Check a JSON object for a book.

    Returns (values, errors): the cleaned values to store, and a dict field -> message.
    With partial=True (PATCH) only the fields present are checked.
    """
    values, errors = {}, {}
    for field, max_len in (("title", 200), ("author", 100)):
        if field not in data:
            if not partial:
                errors[field] = f"{field} is required"
            continue
        value = data[field]
        if not isinstance(value, str) or not value.strip():
            errors[field] = f"{field} must be a non-empty string"
        elif len(value.strip()) > max_len:
            errors[field] = f"{field} must be at most {max_len} characters"
        else:
            values[field] = value.strip()
    if "year" in data:
        year = data["year"]
        # bool is a subclass of int in Python: refuse true/false explicitly.
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            errors["year"] = "year must be an integer"
        else:
            values["year"] = year
    return values, errors


def json_body():
    """The request's JSON object, or None when the body is missing, invalid or not an object."""
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


def get_book_or_404(book_id):
    book = db.session.get(Book, book_id)
    if book is None:
        return None, ({"error": f"Book {book_id} not found"}, 404)
    return book, None


@bp.get("")
def list_books():
    page = request.args.get("page", 1, type=int)
    per_page = request.args.get("per_page", DEFAULT_PER_PAGE, type=int)
    page = max(page, 1)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)

    query = db.select(Book).order_by(Book.id)
    author = request.args.get("author")
    if author:
        query = query.where(Book.author.ilike(author))

    # error_out=False: a page past the end is an empty list, not a 404.
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    return {
        "items": [book.to_dict() for book in pagination.items],
        "page": pagination.page,
        "per_page": pagination.per_page,
        "total": pagination.total,
        "pages": pagination.pages,
    }


@bp.post("")
def create_book():
    data = json_body()
    if data is None:
        return {"error": "The request body must be a JSON object"}, 400
    values, errors = validate_book(data)
    if errors:
        return {"error": "Validation failed", "errors": errors}, 400
    book = Book(**values)
    db.session.add(book)
    db.session.commit()
    # 201 Created, and a Location header pointing at the new resource.
    return book.to_dict(), 201, {"Location": f"/api/books/{book.id}"}


@bp.get("/<int:book_id>")
def get_book(book_id):
    book, error = get_book_or_404(book_id)
    if error:
        return error
    return book.to_dict()


@bp.patch("/<int:book_id>")
def update_book(book_id):
    book, error = get_book_or_404(book_id)
    if error:
        return error
    data = json_body()
    if data is None:
        return {"error": "The request body must be a JSON object"}, 400
    values, errors = validate_book(data, partial=True)
    if errors:
        return {"error": "Validation failed", "errors": errors}, 400
    for field, value in values.items():
        setattr(book, field, value)
    db.session.commit()
    return book.to_dict()


@bp.delete("/<int:book_id>")
def delete_book(book_id):
    book, error = get_book_or_404(book_id)
    if error:
        return error
    db.session.delete(book)
    db.session.commit()
    return "", 204  # No Content: success, nothing to send back
