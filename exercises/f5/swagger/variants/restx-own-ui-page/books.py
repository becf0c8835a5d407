"""The /api/books resource as Flask-RESTX resources: each method documents its input and its
responses, so the OpenAPI document always matches the code."""

from flask import request
from flask_restx import Namespace, Resource, fields

from models import Book, db

ns = Namespace("books", path="/api/books", description="The book catalogue")

DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 50  # never let a client ask for the whole table at once

book_model = ns.model(
    "Book",
    {
        "id": fields.Integer(readonly=True, description="Assigned by the server"),
        "title": fields.String(required=True, max_length=200, example="Dune"),
        "author": fields.String(required=True, max_length=100, example="Frank Herbert"),
        "year": fields.Integer(example=1965),
    },
)
book_input = ns.model(
    "BookInput",
    {
        "title": fields.String(required=True, max_length=200, example="Dune"),
        "author": fields.String(required=True, max_length=100, example="Frank Herbert"),
        "year": fields.Integer(example=1965),
    },
)
page_model = ns.model(
    "BookPage",
    {
        "items": fields.List(fields.Nested(book_model)),
        "page": fields.Integer,
        "per_page": fields.Integer,
        "total": fields.Integer,
        "pages": fields.Integer,
    },
)
error_model = ns.model("Error", {"error": fields.String, "errors": fields.Raw(description="field -> message")})

list_args = ns.parser()
list_args.add_argument("page", type=int, location="args", default=1, help="Page number, from 1")
list_args.add_argument("per_page", type=int, location="args", default=DEFAULT_PER_PAGE, help="Books per page, at most 50")
list_args.add_argument("author", type=str, location="args", help="Only the books of this author (exact match)")


def validate_book(data, partial=False):
    """(values, errors): cleaned values to store and a dict field -> message."""
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
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            errors["year"] = "year must be an integer"
        else:
            values["year"] = year
    return values, errors


def json_object():
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


def find_book(book_id):
    book = db.session.get(Book, book_id)
    if book is None:
        ns.abort(404, f"Book {book_id} not found")
    return book


@ns.route("")
class BookList(Resource):
    @ns.expect(list_args)
    @ns.response(200, "One page of books, ordered by id", page_model)
    def get(self):
        page = max(request.args.get("page", 1, type=int), 1)
        per_page = min(max(request.args.get("per_page", DEFAULT_PER_PAGE, type=int), 1), MAX_PER_PAGE)
        query = db.select(Book).order_by(Book.id)
        author = request.args.get("author")
        if author:
            query = query.where(Book.author == author)
        pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
        return {
            "items": [book.to_dict() for book in pagination.items],
            "page": pagination.page,
            "per_page": pagination.per_page,
            "total": pagination.total,
            "pages": pagination.pages,
        }

    # validate=False: our own validation answers one message per field, as the brief asks.
    @ns.expect(book_input, validate=False)
    @ns.response(201, "The new book", book_model)
    @ns.response(400, "Invalid JSON or invalid fields", error_model)
    def post(self):
        data = json_object()
        if data is None:
            return {"error": "The request body must be a JSON object"}, 400
        values, errors = validate_book(data)
        if errors:
            return {"error": "Validation failed", "errors": errors}, 400
        book = Book(**values)
        db.session.add(book)
        db.session.commit()
        return book.to_dict(), 201, {"Location": f"/api/books/{book.id}"}


@ns.route("/<int:book_id>")
@ns.param("book_id", "The book's id")
@ns.response(404, "No book has this id", error_model)
class BookItem(Resource):
    @ns.response(200, "The book", book_model)
    def get(self, book_id):
        return find_book(book_id).to_dict()

    @ns.expect(book_input, validate=False)
    @ns.response(200, "The updated book", book_model)
    @ns.response(400, "Invalid fields", error_model)
    def patch(self, book_id):
        book = find_book(book_id)
        data = json_object()
        if data is None:
            return {"error": "The request body must be a JSON object"}, 400
        values, errors = validate_book(data, partial=True)
        if errors:
            return {"error": "Validation failed", "errors": errors}, 400
        for field, value in values.items():
            setattr(book, field, value)
        db.session.commit()
        return book.to_dict()

    @ns.response(204, "Deleted")
    def delete(self, book_id):
        db.session.delete(find_book(book_id))
        db.session.commit()
        return "", 204
