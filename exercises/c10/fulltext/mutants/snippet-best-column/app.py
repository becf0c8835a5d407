"""Articles with a full-text search endpoint. The FTS5 index follows every insert, update and
delete of an Article through SQLAlchemy mapper events."""
import os

from flask import Flask, abort, current_app, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from werkzeug.exceptions import HTTPException

from search import Fts5Search

db = SQLAlchemy()
MAX_PER_PAGE = 50


class Article(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)

    def to_dict(self):
        return {"id": self.id, "title": self.title, "body": self.body}


def search_backend():
    return current_app.extensions["search"]


# The flush's own connection: the index changes commit or roll back with the article.
@event.listens_for(Article, "after_insert")
@event.listens_for(Article, "after_update")
def index_article(mapper, connection, target):
    search_backend().index(connection, target)


@event.listens_for(Article, "after_delete")
def unindex_article(mapper, connection, target):
    search_backend().remove(connection, target.id)


def validated(data, partial):
    if not isinstance(data, dict):
        abort(400, description="send a JSON object")
    clean = {}
    for field in ("title", "body"):
        if field in data or not partial:
            value = data.get(field)
            if not isinstance(value, str) or not value.strip():
                abort(400, description=f"{field} must be a non-blank string")
            clean[field] = value.strip()
    return clean


def positive_int(name, default, maximum=None):
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(400, description=f"{name} must be an integer")
    if value < 1 or (maximum is not None and value > maximum):
        abort(400, description=f"{name} must be between 1 and {maximum}" if maximum else f"{name} must be 1 or more")
    return value


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "articles.db"),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    app.extensions["search"] = Fts5Search()

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    @app.post("/api/articles")
    def create_article():
        article = Article(**validated(request.get_json(silent=True), partial=False))
        db.session.add(article)
        db.session.commit()
        return article.to_dict(), 201

    @app.get("/api/articles/<int:article_id>")
    def get_article(article_id):
        return db.get_or_404(Article, article_id).to_dict()

    @app.patch("/api/articles/<int:article_id>")
    def update_article(article_id):
        article = db.get_or_404(Article, article_id)
        for key, value in validated(request.get_json(silent=True), partial=True).items():
            setattr(article, key, value)
        db.session.commit()
        return article.to_dict()

    @app.delete("/api/articles/<int:article_id>")
    def delete_article(article_id):
        db.session.delete(db.get_or_404(Article, article_id))
        db.session.commit()
        return "", 204

    @app.get("/api/search")
    def search():
        q = request.args.get("q", "")
        if not q.strip():
            abort(400, description="q is required")
        page = positive_int("page", 1)
        per_page = positive_int("per_page", 10, MAX_PER_PAGE)
        total, items = search_backend().search(db.session.connection(), q, page, per_page)
        return {"query": q, "total": total, "page": page, "per_page": per_page, "items": items}

    with app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            search_backend().create_index(connection)
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
