"""Blueprint with explicit indexing: each write flushes, updates the index on the same
connection, then commits, so the article and its index entry are saved together."""
from flask import Blueprint, abort, jsonify, request

import search
from models import Article, db

bp = Blueprint("articles", __name__, url_prefix="/api")


def _payload(partial):
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, "send a JSON object")
    fields = {}
    for key in ("title", "body"):
        if partial and key not in data:
            continue
        if not isinstance(data.get(key), str) or not data[key].strip():
            abort(400, f"{key} must be a non-blank string")
        fields[key] = data[key].strip()
    return fields


def _bounded(name, default, most=None):
    raw = request.args.get(name, str(default))
    if not raw.isdigit() or int(raw) < 1 or (most and int(raw) > most):
        abort(400, f"{name} must be a whole number from 1" + (f" to {most}" if most else ""))
    return int(raw)


def _reindex(article):
    db.session.flush()
    search.index(db.session.connection(), article.id, article.title, article.body)


@bp.post("/articles")
def create():
    article = Article(**_payload(False))
    db.session.add(article)
    _reindex(article)
    db.session.commit()
    return jsonify(article.to_dict()), 201


@bp.get("/articles/<int:article_id>")
def read(article_id):
    return db.get_or_404(Article, article_id).to_dict()


@bp.patch("/articles/<int:article_id>")
def update(article_id):
    article = db.get_or_404(Article, article_id)
    for key, value in _payload(True).items():
        setattr(article, key, value)
    _reindex(article)
    db.session.commit()
    return article.to_dict()


@bp.delete("/articles/<int:article_id>")
def delete(article_id):
    article = db.get_or_404(Article, article_id)
    search.unindex(db.session.connection(), article.id)
    db.session.delete(article)
    db.session.commit()
    return "", 204


@bp.get("/search")
def find():
    q = request.args.get("q", "")
    if not q.strip():
        abort(400, "q is required")
    page = _bounded("page", 1)
    per_page = _bounded("per_page", 10, 50)
    total, items = search.search(db.session.connection(), q, per_page, (page - 1) * per_page)
    return {"query": q, "total": total, "page": page, "per_page": per_page, "items": items}
