"""A small articles API. GET and PATCH work; responses are not cacheable yet."""

from flask import Flask, abort, request

ARTICLES = {
    1: {"id": 1, "title": "REST in five minutes", "body": "Resources, verbs, status codes."},
    2: {"id": 2, "title": "Caching with ETags", "body": "Validate instead of downloading again."},
}


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)
    articles = {key: dict(value) for key, value in ARTICLES.items()}

    @app.get("/api/articles/<int:article_id>")
    def get_article(article_id):
        article = articles.get(article_id) or abort(404)
        return article

    @app.patch("/api/articles/<int:article_id>")
    def patch_article(article_id):
        article = articles.get(article_id) or abort(404)
        data = request.get_json(silent=True) or {}
        for field in ("title", "body"):
            if isinstance(data.get(field), str):
                article[field] = data[field]
        return article

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
