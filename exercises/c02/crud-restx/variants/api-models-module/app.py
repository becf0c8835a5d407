"""Module-level app; models and routes on the Api's namespace, records as small objects."""

from flask import Flask
from flask_restx import Api, Resource, abort, fields

app = Flask(__name__)
api = Api(app, doc="/swagger", title="Books")
ns = api.namespace("books", path="/api/books")

BookIn = api.model("BookInput", {"title": fields.String(required=True, min_length=1),
                                 "author": fields.String(required=True, min_length=1)})
Book = api.model("Book", {"id": fields.Integer(readonly=True), "title": fields.String, "author": fields.String})


class Record:
    def __init__(self, id, title, author):
        self.id, self.title, self.author, self.internal_notes = id, title, author, "shelf 3"


BOOKS = {}
COUNTER = [0]


def find(book_id):
    if book_id not in BOOKS:
        abort(404, "no such book")
    return BOOKS[book_id]


@ns.route("")
class Books(Resource):
    @ns.marshal_list_with(Book)
    def get(self):
        return list(BOOKS.values())

    @ns.expect(BookIn, validate=True)
    @ns.marshal_with(Book, code=201)
    def post(self):
        COUNTER[0] += 1
        record = Record(COUNTER[0], api.payload["title"], api.payload["author"])
        BOOKS[record.id] = record
        return record, 201


@ns.route("/<int:book_id>")
class OneBook(Resource):
    @ns.marshal_with(Book)
    def get(self, book_id):
        return find(book_id)

    @ns.expect(BookIn, validate=True)
    @ns.marshal_with(Book)
    def put(self, book_id):
        record = find(book_id)
        record.title, record.author = api.payload["title"], api.payload["author"]
        return record

    def delete(self, book_id):
        find(book_id)
        BOOKS.pop(book_id)
        return None, 204
