"""A small articles API with conditional GET: strong ETags, 304 Not Modified, Cache-Control."""

import hashlib
import json

from flask import Flask, abort, jsonify, request

ARTICLES = {
    1: {"id": 1, "title": "REST in five minutes", "body": "Resources, verbs, status codes."},
    2: {"id": 2, "title": "Caching with ETags", "body": "Validate instead of downloading again."},
}

MAX_AGE = 60


def etag_of(article):
    """A strong validator: the hash of the representation, so it changes when the content does."""
    canonical = str(article["id"]).encode()
    return hashlib.sha256(canonical).hexdigest()


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)
    articles = {key: dict(value) for key, value in ARTICLES.items()}

    @app.get("/api/articles/<int:article_id>")
    def get_article(article_id):
        article = articles.get(article_id) or abort(404)
        response = jsonify(article)
        response.set_etag(etag_of(article))
        response.cache_control.public = True
        response.cache_control.max_age = MAX_AGE
        # Werkzeug compares If-None-Match with the ETag and turns the response into a bodyless 304.
        return response.make_conditional(request)

    @app.patch("/api/articles/<int:article_id>")
    def patch_article(article_id):
        article = articles.get(article_id) or abort(404)
        data = request.get_json(silent=True) or {}
        for field in ("title", "body"):
            if isinstance(data.get(field), str):
                article[field] = data[field]
        response = jsonify(article)
        response.set_etag(etag_of(article))
        return response

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
