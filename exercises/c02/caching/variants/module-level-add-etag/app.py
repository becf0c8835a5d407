"""Articles API as a module-level app; an after_request hook makes every GET conditional."""

from flask import Flask, abort, request

app = Flask(__name__)

articles = {
    1: {"id": 1, "title": "REST in five minutes", "body": "Resources, verbs, status codes."},
    2: {"id": 2, "title": "Caching with ETags", "body": "Validate instead of downloading again."},
}


@app.get("/api/articles/<int:article_id>")
def get_article(article_id):
    return articles.get(article_id) or abort(404)


@app.patch("/api/articles/<int:article_id>")
def patch_article(article_id):
    article = articles.get(article_id) or abort(404)
    for field, value in (request.get_json(silent=True) or {}).items():
        if field in ("title", "body") and isinstance(value, str):
            article[field] = value
    return article


@app.after_request
def conditional_get(response):
    if request.method == "GET" and response.status_code == 200:
        response.add_etag()  # hash of the body
        response.headers["Cache-Control"] = "max-age=60, public"
        response.make_conditional(request)
    return response
