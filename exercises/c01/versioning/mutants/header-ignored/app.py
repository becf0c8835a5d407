"""A books API with two versions, chosen by URL (/api/v1, /api/v2) or by the Accept-Version
header on the unversioned URL (/api/books), all documented in one Swagger UI at /swagger."""

from flask import Flask, request
from flask_restx import Api, Namespace, Resource, fields, marshal

# The stored records. Internal fields (sku) never leave the server.
BOOKS = {
    1: {"id": 1, "title": "Dune", "authors": ["Frank Herbert"], "year": 1965, "sku": "INT-0001"},
    2: {"id": 2, "title": "Good Omens", "authors": ["Terry Pratchett", "Neil Gaiman"], "year": 1990, "sku": "INT-0002"},
}

VERSION_HEADER = "Accept-Version"
DEFAULT_VERSION = "1"  # clients that send no header keep getting what they always got

v1 = Namespace("v1", description="Books, version 1", path="/api/v1")
v2 = Namespace("v2", description="Books, version 2", path="/api/v2")
negotiated = Namespace("books", description="Books, version chosen by the Accept-Version header", path="/api/books")

book_v1 = v1.model("BookV1", {
    "id": fields.Integer(description="The book's id"),
    "title": fields.String(description="The title"),
    # Version 1 had a single author string: the authors joined with ", ".
    "author": fields.String(attribute=lambda book: ", ".join(book["authors"]), description="The author(s)"),
})
book_v2 = v2.model("BookV2", {
    "id": fields.Integer(description="The book's id"),
    "title": fields.String(description="The title"),
    "authors": fields.List(fields.String, description="Every author, in order"),
    "year": fields.Integer(description="Year of first publication"),
})
MODELS = {"1": book_v1, "2": book_v2}
negotiated.add_model("BookV1", book_v1)
negotiated.add_model("BookV2", book_v2)

version_param = {VERSION_HEADER: {"in": "header", "type": "string", "enum": sorted(MODELS),
                                  "description": f"API version (default {DEFAULT_VERSION})"}}


def find(ns, book_id):
    book = BOOKS.get(book_id)
    if book is None:
        ns.abort(404, f"book {book_id} not found")
    return book


def served(version):
    return {"API-Version": version}


@v1.route("/books")
class BookListV1(Resource):
    @v1.marshal_list_with(book_v1)
    def get(self):
        return list(BOOKS.values()), 200, served("1")


@v1.route("/books/<int:book_id>")
@v1.response(404, "Book not found")
class BookItemV1(Resource):
    @v1.marshal_with(book_v1)
    def get(self, book_id):
        return find(v1, book_id), 200, served("1")


@v2.route("/books")
class BookListV2(Resource):
    @v2.marshal_list_with(book_v2)
    def get(self):
        return list(BOOKS.values()), 200, served("2")


@v2.route("/books/<int:book_id>")
@v2.response(404, "Book not found")
class BookItemV2(Resource):
    @v2.marshal_with(book_v2)
    def get(self, book_id):
        return find(v2, book_id), 200, served("2")


def requested_version():
    version = DEFAULT_VERSION  # the header is never read
    if version not in MODELS:
        negotiated.abort(400, f"unsupported API version {version!r}; supported: {', '.join(sorted(MODELS))}")
    return version


def negotiated_answer(data, version):
    # Vary: caches must keep one copy per Accept-Version value.
    return marshal(data, MODELS[version]), 200, {**served(version), "Vary": VERSION_HEADER}


@negotiated.route("")
@negotiated.doc(params=version_param)
@negotiated.response(400, "Unsupported version")
class BookList(Resource):
    def get(self):
        return negotiated_answer(list(BOOKS.values()), requested_version())


@negotiated.route("/<int:book_id>")
@negotiated.doc(params=version_param)
@negotiated.response(400, "Unsupported version")
@negotiated.response(404, "Book not found")
class BookItem(Resource):
    def get(self, book_id):
        version = requested_version()
        return negotiated_answer(find(negotiated, book_id), version)


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.from_mapping(test_config)
    app.config.setdefault("ERROR_404_HELP", False)  # no "did you mean" route listing in 404s
    api = Api(app, title="Books API", version="2.0", doc="/swagger",
              description="Version by URL (/api/v1, /api/v2) or by the Accept-Version header (/api/books).")
    for ns in (v1, v2, negotiated):
        api.add_namespace(ns)
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
