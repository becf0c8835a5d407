"""Articles API; the conditional GET is written by hand: md5 of the body, If-None-Match parsed."""

import hashlib

from flask import Flask, Response, abort, jsonify, request

ARTICLES = {
    1: {"id": 1, "title": "REST in five minutes", "body": "Resources, verbs, status codes."},
    2: {"id": 2, "title": "Caching with ETags", "body": "Validate instead of downloading again."},
}


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)
    articles = {key: dict(value) for key, value in ARTICLES.items()}

    @app.route("/api/articles/<int:article_id>", methods=["GET"])
    def get_article(article_id):
        if article_id not in articles:
            abort(404)
        response = jsonify(articles[article_id])
        etag = '"' + hashlib.md5(response.get_data()).hexdigest() + '"'
        headers = {"ETag": etag, "Cache-Control": "public, max-age=60"}
        sent = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
        if etag in sent or "*" in sent:
            return Response(status=304, headers=headers)
        response.headers.update(headers)
        return response

    @app.route("/api/articles/<int:article_id>", methods=["PATCH"])
    def patch_article(article_id):
        if article_id not in articles:
            abort(404)
        data = request.get_json(silent=True) or {}
        article = articles[article_id]
        article.update({k: v for k, v in data.items() if k in ("title", "body") and isinstance(v, str)})
        return jsonify(article)

    return app
