"""c02 demo: a REST collection with Flask-RESTX, documented in Swagger UI.

One `books` namespace with models for a book and for a page of books: CRUD with the right
statuses, pages with totals and links, filters and sorting from a whitelist, and ETag caching
(304 Not Modified) on a single book. Data lives in memory, so every start is fresh.

Run:  flask --app app run --port 5001   then open http://127.0.0.1:5001/swagger
"""
import math
from itertools import count

from flask import Flask, current_app, jsonify, request, url_for
from flask_restx import Api, Namespace, Resource, fields, inputs, marshal

SEED = [
    ("Small Gods", "Terry Pratchett", 1992),
    ("Guards! Guards!", "Terry Pratchett", 1989),
    ("Good Omens", "Terry Pratchett", 1990),
    ("Mort", "Terry Pratchett", 1987),
    ("The Left Hand of Darkness", "Ursula K. Le Guin", 1969),
    ("A Wizard of Earthsea", "Ursula K. Le Guin", 1968),
    ("The Dispossessed", "Ursula K. Le Guin", 1974),
    ("Kindred", "Octavia E. Butler", 1979),
    ("Parable of the Sower", "Octavia E. Butler", 1993),
    ("Neuromancer", "William Gibson", 1984),
    ("Dune", "Frank Herbert", 1965),
    ("Hyperion", "Dan Simmons", 1989),
]
SORTABLE = {"id", "title", "author", "year"}
MAX_PER_PAGE = 100

ns = Namespace("books", description="A collection of books: CRUD, pages, filters, ETags")

book_in = ns.model("BookInput", {
    "title": fields.String(required=True, min_length=1, description="The title"),
    "author": fields.String(required=True, min_length=1, description="The author"),
    "year": fields.Integer(required=True, min=0, max=2100, description="Year of first publication"),
})
book = ns.inherit("Book", book_in, {
    "id": fields.Integer(readonly=True, description="The book's identifier"),
})
links = ns.model("PageLinks", {
    name: fields.String(description=f"URL of the {name} page (null when there is none)")
    for name in ("self", "first", "prev", "next", "last")
})
page = ns.model("BookPage", {
    "items": fields.List(fields.Nested(book)),
    "page": fields.Integer,
    "per_page": fields.Integer,
    "total": fields.Integer(description="Books matching the filters, on all pages"),
    "pages": fields.Integer,
    "links": fields.Nested(links),
})

list_args = ns.parser()
list_args.add_argument("page", type=inputs.positive, default=1, location="args", help="Page number, from 1")
list_args.add_argument("per_page", type=inputs.positive, default=5, location="args",
                       help=f"Books per page (at most {MAX_PER_PAGE})")
list_args.add_argument("author", location="args", help="Only books by this author (case-insensitive substring)")
list_args.add_argument("year_min", type=int, location="args", help="Only books published that year or later")
list_args.add_argument("sort", default="id", location="args",
                       help="Comma-separated fields of id, title, author, year; -field sorts descending")


class Library:
    """An in-memory store: enough to show the API; a real one is a database table."""

    def __init__(self):
        self.ids = count(1)
        self.books = {}
        for title, author, year in SEED:
            self.add({"title": title, "author": author, "year": year})

    def add(self, data):
        new = {"id": next(self.ids), **{k: data[k] for k in ("title", "author", "year")}}
        self.books[new["id"]] = new
        return new

    def get(self, book_id):
        if book_id not in self.books:
            ns.abort(404, f"Book {book_id} does not exist.")
        return self.books[book_id]


def library():
    """This app's store (each create_app() has its own)."""
    return current_app.extensions["library"]


def sort_keys(spec):
    keys = []
    for raw in spec.split(","):
        field = raw.strip().removeprefix("-")
        if field not in SORTABLE:
            ns.abort(400, f"Cannot sort by {raw.strip()!r}: use {', '.join(sorted(SORTABLE))}, with - for descending.")
        keys.append((field, raw.strip().startswith("-")))
    return keys


def page_url(number, per_page):
    """The URL of another page with the same filters and sort: clients follow it, never build it."""
    params = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
    return url_for(request.endpoint, page=number, per_page=per_page, _external=True, **params)


@ns.route("")
class BookList(Resource):
    @ns.expect(list_args)
    @ns.marshal_with(page)
    @ns.response(400, "A page, per_page, year_min or sort field that is not valid")
    def get(self):
        """One page of books, filtered and sorted; links lead to the other pages."""
        args = list_args.parse_args()
        per_page = min(args["per_page"], MAX_PER_PAGE)
        rows = list(library().books.values())
        if args["author"]:
            rows = [b for b in rows if args["author"].casefold() in b["author"].casefold()]
        if args["year_min"] is not None:
            rows = [b for b in rows if b["year"] >= args["year_min"]]
        for field, descending in reversed(sort_keys(args["sort"])):  # stable sorts, last key first
            rows.sort(key=lambda b: b[field], reverse=descending)
        total, number = len(rows), args["page"]
        pages = max(1, math.ceil(total / per_page))
        return {
            "items": rows[(number - 1) * per_page:number * per_page],
            "page": number, "per_page": per_page, "total": total, "pages": pages,
            "links": {
                "self": page_url(number, per_page), "first": page_url(1, per_page), "last": page_url(pages, per_page),
                "prev": page_url(number - 1, per_page) if number > 1 else None,
                "next": page_url(number + 1, per_page) if number < pages else None,
            },
        }

    @ns.expect(book_in, validate=True)
    @ns.marshal_with(book, code=201)
    @ns.response(400, "The body does not match the BookInput model")
    def post(self):
        """Add a book."""
        return library().add(ns.payload), 201


@ns.route("/<int:book_id>")
@ns.param("book_id", "The book's identifier")
@ns.response(404, "No book with this id")
class BookItem(Resource):
    @ns.response(200, "The book, with an ETag and Cache-Control: max-age=60", book)
    @ns.response(304, "Not Modified: the If-None-Match ETag is current")
    def get(self, book_id):
        """One book; send its ETag back in If-None-Match to get 304 while it is unchanged."""
        response = jsonify(marshal(library().get(book_id), book))
        response.cache_control.max_age = 60
        response.add_etag()
        return response.make_conditional(request)

    @ns.expect(book_in, validate=True)
    @ns.marshal_with(book)
    def put(self, book_id):
        """Replace a book (its ETag changes)."""
        current = library().get(book_id)
        current.update({k: ns.payload[k] for k in ("title", "author", "year")})
        return current

    @ns.response(204, "Deleted")
    def delete(self, book_id):
        """Delete a book."""
        library().get(book_id)
        del library().books[book_id]
        return "", 204


def create_app():
    app = Flask(__name__)
    app.config["RESTX_MASK_SWAGGER"] = False  # no X-Fields header in the docs: the models say it all
    app.config["RESTX_ERROR_404_HELP"] = False  # a 404 says only what is missing
    api = Api(app, version="1.0", title="c02 demo: books", doc="/swagger",
              description="A REST collection: CRUD, pages with links, filters, sorting and ETags.")
    app.extensions["library"] = Library()
    api.add_namespace(ns, path="/api/books")
    return app


app = create_app()
