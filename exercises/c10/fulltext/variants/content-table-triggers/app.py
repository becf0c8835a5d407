"""One module: an external-content FTS5 table over the article table, kept in sync by SQL
triggers (the database does the indexing, whoever writes), MethodViews and legacy Model.query."""
import os
import re

from flask import Flask, abort, request
from flask.views import MethodView
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()

FTS_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS article_idx USING fts5("
    "title, body, content='article', content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER IF NOT EXISTS article_ai AFTER INSERT ON article BEGIN "
    "INSERT INTO article_idx (rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS article_ad AFTER DELETE ON article BEGIN "
    "INSERT INTO article_idx (article_idx, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS article_au AFTER UPDATE ON article BEGIN "
    "INSERT INTO article_idx (article_idx, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO article_idx (rowid, title, body) VALUES (new.id, new.title, new.body); END",
]


class Article(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)

    def to_dict(self):
        return {"id": self.id, "title": self.title, "body": self.body}


def fts_query(q):
    return " ".join('"%s"' % w for w in re.findall(r"\w+", q))


def int_arg(name, default, low=1, high=None):
    value = request.args.get(name, default, type=int)
    if name in request.args and (not request.args[name].strip().lstrip("-").isdigit()):
        abort(400, description=f"{name} must be a whole number")
    if value is None or value < low or (high is not None and value > high):
        abort(400, description=f"{name} must be between {low} and {high or 'any'}")
    return value


def read_article(partial):
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="send a JSON object")
    out = {}
    for key in ("title", "body"):
        if key in data or not partial:
            value = data.get(key)
            if not isinstance(value, str) or not value.strip():
                abort(400, description=f"{key} must be a non-blank string")
            out[key] = value.strip()
    return out


class ArticleList(MethodView):
    def post(self):
        article = Article(**read_article(partial=False))
        db.session.add(article)
        db.session.commit()
        return article.to_dict(), 201


class ArticleItem(MethodView):
    def get(self, article_id):
        return Article.query.get_or_404(article_id).to_dict()

    def patch(self, article_id):
        article = Article.query.get_or_404(article_id)
        for key, value in read_article(partial=True).items():
            setattr(article, key, value)
        db.session.commit()
        return article.to_dict()

    def delete(self, article_id):
        db.session.delete(Article.query.get_or_404(article_id))
        db.session.commit()
        return "", 204


class Search(MethodView):
    def get(self):
        q = request.args.get("q", "")
        if not q.strip():
            abort(400, description="q must not be empty")
        page = int_arg("page", 1)
        per_page = int_arg("per_page", 10, high=50)
        match = fts_query(q)
        total, items = 0, []
        if match:
            total = db.session.execute(
                text("SELECT count(*) FROM article_idx(:match)"), {"match": match}).scalar()
            rows = db.session.execute(text(
                "SELECT rowid, title, snippet(article_idx, 1, '<mark>', '</mark>', '…', 12) AS snip "
                "FROM article_idx(:match) ORDER BY rank, rowid LIMIT :limit OFFSET :offset"),
                {"match": match, "limit": per_page, "offset": (page - 1) * per_page})
            items = [{"id": r.rowid, "title": r.title, "snippet": r.snip} for r in rows]
        return {"query": q, "total": total, "page": page, "per_page": per_page, "items": items}


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "articles.db")
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    app.register_error_handler(HTTPException, lambda e: ({"error": e.description}, e.code))
    app.add_url_rule("/api/articles", view_func=ArticleList.as_view("articles"))
    app.add_url_rule("/api/articles/<int:article_id>", view_func=ArticleItem.as_view("article"))
    app.add_url_rule("/api/search", view_func=Search.as_view("search"))
    with app.app_context():
        db.create_all()
        with db.engine.begin() as conn:
            for statement in FTS_DDL:
                conn.execute(text(statement))
    return app
