"""Factory app; the namespace validates by hand and serialises with flask_restx.marshal()."""

from flask import Flask, current_app, request
from flask_restx import Api, Namespace, Resource, fields, marshal

ns = Namespace("books", path="/api/books")
book = ns.model("Book", {"id": fields.Integer, "title": fields.String, "author": fields.String})


def books():
    return current_app.extensions["books"]


def clean(body):
    if not isinstance(body, dict):
        ns.abort(400, "send a JSON object")
    errors = {k: "required non-empty string" for k in ("title", "author")
              if not isinstance(body.get(k), str) or not body[k].strip()}
    if errors:
        ns.abort(400, "invalid book", errors=errors)
    return {"title": body["title"], "author": body["author"]}


@ns.route("")
class BookList(Resource):
    @ns.response(200, "Books", [book])
    def get(self):
        return marshal(list(books()["items"].values()), book)

    @ns.expect(book)
    @ns.response(201, "Created", book)
    def post(self):
        data = clean(request.get_json(silent=True))
        books()["next_id"] += 1
        record = dict(data, id=books()["next_id"], internal_notes="x")
        books()["items"][record["id"]] = record
        return marshal(record, book), 201


@ns.route("/<int:book_id>")
class BookItem(Resource):
    def _find(self, book_id):
        return books()["items"].get(book_id) or ns.abort(404, "book not found")

    def get(self, book_id):
        return marshal(self._find(book_id), book)

    @ns.expect(book)
    def put(self, book_id):
        record = self._find(book_id)
        record.update(clean(request.get_json(silent=True)))
        return marshal(record, book)

    def delete(self, book_id):
        self._find(book_id)
        del books()["items"][book_id]
        return "", 204


def create_app(test_config=None):
    app = Flask(__name__)
    Api(app, doc="/swagger").add_namespace(ns)
    app.extensions["books"] = {"items": {}, "next_id": 0}
    return app
