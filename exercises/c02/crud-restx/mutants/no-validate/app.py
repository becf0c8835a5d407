"""Books API with Flask-RESTX: a namespace, input and output models, marshalling and validation."""

from flask import Flask, current_app
from flask_restx import Api, Namespace, Resource, fields

ns = Namespace("books", description="Books", path="/api/books")

book_input = ns.model("BookInput", {
    "title": fields.String(required=True, min_length=1, description="The title"),
    "author": fields.String(required=True, min_length=1, description="The author"),
})
book = ns.inherit("Book", book_input, {
    "id": fields.Integer(readonly=True, description="The book's id"),
})


def store():
    return current_app.extensions["books"]


def get_or_404(book_id):
    found = store()["items"].get(book_id)
    if found is None:
        ns.abort(404, f"book {book_id} not found")
    return found


@ns.route("")
class BookList(Resource):
    @ns.marshal_list_with(book)
    def get(self):
        return list(store()["items"].values())

    @ns.expect(book_input)
    @ns.marshal_with(book, code=201)
    def post(self):
        data = ns.payload
        record = {"id": store()["next_id"], "title": data.get("title"), "author": data.get("author"),
                  "internal_notes": "bought second hand"}
        store()["items"][record["id"]] = record
        store()["next_id"] += 1
        return record, 201


@ns.route("/<int:book_id>")
@ns.response(404, "Book not found")
class BookItem(Resource):
    @ns.marshal_with(book)
    def get(self, book_id):
        return get_or_404(book_id)

    @ns.expect(book_input, validate=True)
    @ns.marshal_with(book)
    def put(self, book_id):
        record = get_or_404(book_id)
        record.update(title=ns.payload["title"], author=ns.payload["author"])
        return record

    @ns.response(204, "Book deleted")
    def delete(self, book_id):
        get_or_404(book_id)
        del store()["items"][book_id]
        return "", 204


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)
    api = Api(app, title="Books API", version="1.0", doc="/swagger")
    api.add_namespace(ns)
    app.extensions["books"] = {"items": {}, "next_id": 1}
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
