"""The Api lives on a Blueprint; the header-versioned resources subclass a VersionedResource
whose method_decorators resolve the version and add the headers."""

from functools import wraps

from flask import Blueprint, Flask, g, request
from flask_restx import Api, Namespace, Resource, fields, marshal

BOOKS = [
    {"id": 1, "title": "Dune", "authors": ["Frank Herbert"], "year": 1965, "sku": "INT-0001"},
    {"id": 2, "title": "Good Omens", "authors": ["Terry Pratchett", "Neil Gaiman"], "year": 1990, "sku": "INT-0002"},
]


def book_or_404(ns, book_id):
    for book in BOOKS:
        if book["id"] == book_id:
            return book
    ns.abort(404, f"book {book_id} not found")


def v1_author(book):
    return ", ".join(book["authors"])


ns1 = Namespace("v1", path="/api/v1/books")
ns2 = Namespace("v2", path="/api/v2/books")
hdr = Namespace("books", path="/api/books")
BookV1 = ns1.model("BookV1", {"id": fields.Integer, "title": fields.String, "author": fields.String(attribute=v1_author)})
BookV2 = ns2.model("BookV2", {"id": fields.Integer, "title": fields.String,
                              "authors": fields.List(fields.String), "year": fields.Integer})
BY_VERSION = {"1": BookV1, "2": BookV2}


@ns1.route("")
class V1List(Resource):
    @ns1.marshal_list_with(BookV1)
    def get(self):
        return BOOKS, 200, {"API-Version": "1"}


@ns1.route("/<int:book_id>")
class V1Item(Resource):
    @ns1.marshal_with(BookV1)
    def get(self, book_id):
        return book_or_404(ns1, book_id), 200, {"API-Version": "1"}


@ns2.route("")
class V2List(Resource):
    @ns2.marshal_list_with(BookV2)
    def get(self):
        return BOOKS, 200, {"API-Version": "2"}


@ns2.route("/<int:book_id>")
class V2Item(Resource):
    @ns2.marshal_with(BookV2)
    def get(self, book_id):
        return book_or_404(ns2, book_id), 200, {"API-Version": "2"}


def negotiate(method):
    @wraps(method)
    def wrapper(*args, **kwargs):
        g.api_version = request.headers.get("Accept-Version", "1")
        if g.api_version not in BY_VERSION:
            hdr.abort(400, "unsupported Accept-Version")
        data = method(*args, **kwargs)
        return marshal(data, BY_VERSION[g.api_version]), 200, {"API-Version": g.api_version, "Vary": "Accept-Version"}
    return wrapper


class VersionedResource(Resource):
    method_decorators = [negotiate]


@hdr.route("")
@hdr.doc(params={"Accept-Version": {"in": "header", "description": "1 (default) or 2"}})
class HeaderList(VersionedResource):
    def get(self):
        return BOOKS


@hdr.route("/<int:book_id>")
@hdr.doc(params={"Accept-Version": {"in": "header", "description": "1 (default) or 2"}})
class HeaderItem(VersionedResource):
    def get(self, book_id):
        return book_or_404(hdr, book_id)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})
    blueprint = Blueprint("api", __name__)
    api = Api(blueprint, title="Books API", version="2.0", doc="/swagger")
    hdr.add_model("BookV1", BookV1)
    hdr.add_model("BookV2", BookV2)
    for ns in (ns1, ns2, hdr):
        api.add_namespace(ns)
    app.register_blueprint(blueprint)
    return app
