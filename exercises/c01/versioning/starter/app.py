"""A books API with Flask-RESTX: version 1 exists at /api/v1. Add version 2 and header versioning."""

from flask import Flask
from flask_restx import Api, Namespace, Resource, fields

# The stored records. Internal fields (sku) never leave the server.
BOOKS = {
    1: {"id": 1, "title": "Dune", "authors": ["Frank Herbert"], "year": 1965, "sku": "INT-0001"},
    2: {"id": 2, "title": "Good Omens", "authors": ["Terry Pratchett", "Neil Gaiman"], "year": 1990, "sku": "INT-0002"},
}

v1 = Namespace("v1", description="Books, version 1", path="/api/v1")

book_v1 = v1.model("BookV1", {
    "id": fields.Integer(description="The book's id"),
    "title": fields.String(description="The title"),
    # Version 1 had a single author string: the authors joined with ", ".
    "author": fields.String(attribute=lambda book: ", ".join(book["authors"]), description="The author(s)"),
})


def find(ns, book_id):
    book = BOOKS.get(book_id)
    if book is None:
        ns.abort(404, f"book {book_id} not found")
    return book


@v1.route("/books")
class BookListV1(Resource):
    @v1.marshal_list_with(book_v1)
    def get(self):
        return list(BOOKS.values())


@v1.route("/books/<int:book_id>")
class BookV1(Resource):
    @v1.marshal_with(book_v1)
    def get(self, book_id):
        return find(v1, book_id)


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.from_mapping(test_config)
    api = Api(app, title="Books API", version="2.0", doc="/swagger")
    api.add_namespace(v1)
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
