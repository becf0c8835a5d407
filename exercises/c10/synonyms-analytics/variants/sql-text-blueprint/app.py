"""Blueprint; every query is SQL through text(): synonyms expanded with one self-join per word,
the log written by the view, the analytics two GROUP BY queries. Tables are plain SQL too."""
import os
import re

from flask import Blueprint, Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()
bp = Blueprint("shop", __name__, url_prefix="/api")

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS products_fts USING fts5(name, description, content='products', content_rowid='id')",
    "CREATE TRIGGER IF NOT EXISTS products_ai AFTER INSERT ON products BEGIN "
    "INSERT INTO products_fts (rowid, name, description) VALUES (new.id, new.name, new.description); END",
    "CREATE TABLE IF NOT EXISTS synonyms (word TEXT PRIMARY KEY, grp INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS searches (id INTEGER PRIMARY KEY, phrase TEXT NOT NULL, results INTEGER NOT NULL, "
    "at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
    "CREATE INDEX IF NOT EXISTS searches_phrase ON searches (phrase)",
]
GROUP_OF = text("SELECT s2.word FROM synonyms AS s1 JOIN synonyms AS s2 ON s2.grp = s1.grp WHERE s1.word = :w ORDER BY s2.word")
TOP_SQL = ("SELECT phrase, count(*) AS n FROM searches {where} GROUP BY phrase ORDER BY n DESC, phrase LIMIT 10")


def sql(statement, **params):
    return db.session.execute(text(statement), params)


def number(name, default, top=None):
    raw = request.args.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"[0-9]+", raw) or int(raw) == 0 or (top is not None and int(raw) > top):
        abort(400, f"{name} must be a whole number from 1" + (f" to {top}" if top else ""))
    return int(raw)


@bp.post("/products")
def add_product():
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"].strip():
        abort(400, "name must be a non-blank string")
    if not isinstance(data.get("description", ""), str):
        abort(400, "description must be a string")
    new_id = sql("INSERT INTO products (name, description) VALUES (:n, :d)", n=data["name"].strip(), d=data.get("description", "")).lastrowid
    db.session.commit()
    return {"id": new_id, "name": data["name"].strip()}, 201


@bp.post("/synonyms")
def add_synonyms():
    data = request.get_json(silent=True)
    raw = data.get("words") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not all(isinstance(w, str) and re.fullmatch(r"\w+", w.strip()) for w in raw):
        abort(400, "words must be a list of single words")
    words = list(dict.fromkeys(w.strip().lower() for w in raw))
    if len(words) < 2:
        abort(400, "at least 2 different words")
    for w in words:
        if sql("SELECT 1 FROM synonyms WHERE word = :w", w=w).first():
            abort(409, f"{w} is already in a group")
    grp = sql("SELECT coalesce(max(grp), 0) + 1 FROM synonyms").scalar()
    for w in words:
        sql("INSERT INTO synonyms (word, grp) VALUES (:w, :g)", w=w, g=grp)
    db.session.commit()
    return {"id": grp, "words": words}, 201


@bp.get("/search")
def search():
    q = request.args.get("q", "")
    if not q.strip():
        abort(400, "q is required")
    page, per_page = number("page", 1), number("per_page", 10, 50)
    words = re.findall(r"\w+", q.lower())
    if not words:
        return {"query": q, "total": 0, "page": page, "per_page": per_page, "items": []}
    groups = []
    for w in words:
        alternatives = [row[0] for row in db.session.execute(GROUP_OF, {"w": w})] or [w]
        groups.append("(%s)" % " OR ".join('"%s"' % a for a in alternatives))
    match = " AND ".join(groups)
    total = sql("SELECT count(*) FROM products_fts WHERE products_fts MATCH :m", m=match).scalar()
    rows = sql("SELECT rowid, name FROM products_fts WHERE products_fts MATCH :m ORDER BY rank, rowid LIMIT :l OFFSET :o",
               m=match, l=per_page, o=(page - 1) * per_page).all()
    if page == 1:
        sql("INSERT INTO searches (phrase, results) VALUES (:p, :r)", p=" ".join(words), r=total)
        db.session.commit()
    return {"query": q, "total": total, "page": page, "per_page": per_page,
            "items": [{"id": r[0], "name": r[1]} for r in rows]}


@bp.get("/search/analytics")
def analytics():
    def listing(where=""):
        return [{"query": p, "count": n} for p, n in sql(TOP_SQL.format(where=where))]
    return {"top_queries": listing(), "zero_result_queries": listing("WHERE results = 0")}


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "search.db")
    app.config.update(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    app.register_blueprint(bp)
    app.register_error_handler(HTTPException, lambda e: ({"error": e.description}, e.code))
    with app.app_context():
        with db.engine.begin() as conn:
            for statement in SCHEMA:
                conn.execute(text(statement))
    return app
