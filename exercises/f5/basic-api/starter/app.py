"""A tiny read-only books API (no database yet: the data lives in a list)."""

from flask import Flask

# The data the API serves. Keep these three books: the checks expect them.
BOOKS = [
    {"id": 1, "title": "Dune", "author": "Frank Herbert", "year": 1965},
    {"id": 2, "title": "Neuromancer", "author": "William Gibson", "year": 1984},
    {"id": 3, "title": "The Left Hand of Darkness", "author": "Ursula K. Le Guin", "year": 1969},
]


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)

    @app.get("/")
    def index():
        return {"message": "Books API: try /api/books"}

    # TODO: GET /api/books -> 200 with a JSON array of every book

    # TODO: GET /api/books/<id> -> 200 with that book,
    #       or 404 with {"error": "..."} when no book has that id

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
