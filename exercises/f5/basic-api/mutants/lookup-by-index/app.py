"""A tiny read-only books API (no database yet: the data lives in a list)."""

from flask import Flask

# The data the API serves. Keep these three books: the checks expect them.
BOOKS = [
    {"id": 1, "title": "Dune", "author": "Frank Herbert", "year": 1965},
    {"id": 2, "title": "Neuromancer", "author": "William Gibson", "year": 1984},
    {"id": 3, "title": "The Left Hand of Darkness", "author": "Ursula K. Le Guin", "year": 1969},
]


def find_book(book_id):
    """Return the book with this id, or None."""
    return next((book for book in BOOKS if book["id"] == book_id), None)


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)

    @app.get("/")
    def index():
        return {"message": "Books API: try /api/books"}

    @app.get("/api/books")
    def list_books():
        # Returning a list (Flask 2.2+) or a dict makes Flask send JSON.
        return BOOKS

    @app.get("/api/books/<int:book_id>")
    def get_book(book_id):
        book = BOOKS[book_id - 1] if book_id <= len(BOOKS) else None
        if book is None:
            # An API client reads JSON, not an HTML error page: say what went wrong.
            return {"error": f"Book {book_id} not found"}, 404
        return book

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
