"""Books API with Flask-RESTX: the Api and the books namespace exist; the resources are yours."""

from flask import Flask
from flask_restx import Api, Namespace

ns = Namespace("books", description="Books", path="/api/books")


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
