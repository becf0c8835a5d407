from flask import Blueprint, Flask, abort, jsonify

BOOKS = [
    {"id": 1, "title": "Dune", "author": "Frank Herbert", "year": 1965},
    {"id": 2, "title": "Neuromancer", "author": "William Gibson", "year": 1984},
    {"id": 3, "title": "The Left Hand of Darkness", "author": "Ursula K. Le Guin", "year": 1969},
]

books = Blueprint("books", __name__, url_prefix="/api/books")


@books.get("")
def all_books():
    return jsonify(BOOKS)


@books.get("/<int:book_id>")
def one_book(book_id):
    for book in BOOKS:
        if book["id"] == book_id:
            return jsonify(book)
    abort(404, description="no book %d" % book_id)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(test_config or {})
    app.register_blueprint(books)

    @app.errorhandler(404)
    def not_found(error):
        return jsonify(error=error.description), 404

    return app
