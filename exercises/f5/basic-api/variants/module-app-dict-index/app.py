import json

from flask import Flask, Response

app = Flask(__name__)

BOOKS = [
    {"id": 1, "title": "Dune", "author": "Frank Herbert", "year": 1965},
    {"id": 2, "title": "Neuromancer", "author": "William Gibson", "year": 1984},
    {"id": 3, "title": "The Left Hand of Darkness", "author": "Ursula K. Le Guin", "year": 1969},
]
BY_ID = {book["id"]: book for book in BOOKS}


def as_json(value, status=200):
    return Response(json.dumps(value), status=status, mimetype="application/json")


@app.route("/api/books")
def books():
    return as_json(BOOKS)


@app.route("/api/books/<int:book_id>")
def book(book_id):
    if book_id not in BY_ID:
        return as_json({"error": "Book not found"}, 404)
    return as_json(BY_ID[book_id])
