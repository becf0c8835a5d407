"""A product search with synonym expansion and search analytics (top queries, zero-result
queries). The FTS5 index follows the products through mapper events."""
import os
import re
from datetime import datetime, timezone

from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, func, text
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()
MAX_PER_PAGE = 50
TOP = 10


class Product(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")

    def to_dict(self):
        return {"id": self.id, "name": self.name}


class Synonym(db.Model):
    """One row per word; the words of a group share group_id and mean the same thing."""
    id = db.Column(db.Integer, primary_key=True)
    word = db.Column(db.String(100), nullable=False, unique=True)
    group_id = db.Column(db.Integer, nullable=False, index=True)


class SearchLog(db.Model):
    """One row per search (not per page): the normalized query (phrase) and its number of results."""
    __tablename__ = "search_log"
    id = db.Column(db.Integer, primary_key=True)
    phrase = db.Column(db.String(500), nullable=False, index=True)
    results = db.Column(db.Integer, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=lambda: datetime.now(timezone.utc))


@event.listens_for(Product, "after_insert")
@event.listens_for(Product, "after_update")
def index_product(mapper, connection, target):
    connection.execute(text("DELETE FROM product_fts WHERE rowid = :id"), {"id": target.id})
    connection.execute(
        text("INSERT INTO product_fts (rowid, name, description) VALUES (:id, :name, :description)"),
        {"id": target.id, "name": target.name, "description": target.description},
    )


@event.listens_for(Product, "after_delete")
def unindex_product(mapper, connection, target):
    connection.execute(text("DELETE FROM product_fts WHERE rowid = :id"), {"id": target.id})


def words_of(q):
    return re.findall(r"\w+", q.lower())


def synonyms_of(word):
    """The words of word's synonym group (itself included), or just [word]."""
    group = db.select(Synonym.group_id).where(Synonym.word == word).scalar_subquery()
    words = db.session.execute(db.select(Synonym.word).where(Synonym.group_id == group).order_by(Synonym.id)).scalars().all()
    return words or [word]


def expanded_match(words):
    """tv stand -> ("tv" OR "television" OR "telly") AND ("stand"). Explicit AND: FTS5 never
    inserts an implicit AND next to a parenthesis."""
    return " AND ".join("(" + " OR ".join('"%s"' % w for w in synonyms_of(word)) + ")" for word in words)


def page_args():
    values = {}
    for name, default, maximum in (("page", 1, None), ("per_page", 10, MAX_PER_PAGE)):
        raw = request.args.get(name, str(default))
        if not raw.isdigit() or int(raw) < 1 or (maximum and int(raw) > maximum):
            abort(400, description=f"{name} must be a whole number from 1" + (f" to {maximum}" if maximum else ""))
        values[name] = int(raw)
    return values["page"], values["per_page"]


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "shop.db"),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    @app.post("/api/products")
    def create_product():
        data = request.get_json(silent=True)
        if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"].strip():
            abort(400, description="name must be a non-blank string")
        description = data.get("description", "")
        if not isinstance(description, str):
            abort(400, description="description must be a string")
        product = Product(name=data["name"].strip(), description=description)
        db.session.add(product)
        db.session.commit()
        return product.to_dict(), 201

    @app.post("/api/synonyms")
    def create_synonyms():
        data = request.get_json(silent=True)
        words = data.get("words") if isinstance(data, dict) else None
        if not isinstance(words, list) or not all(isinstance(w, str) and re.fullmatch(r"\w+", w.strip()) for w in words):
            abort(400, description="words must be a list of single words")
        words = list(dict.fromkeys(w.strip().lower() for w in words))
        if len(words) < 2:
            abort(400, description="a synonym group needs at least 2 different words")
        taken = db.session.execute(db.select(Synonym.word).where(Synonym.word.in_(words))).scalars().all()
        if taken:
            abort(409, description=f"already in a synonym group: {', '.join(taken)}")
        group_id = (db.session.execute(db.select(func.max(Synonym.group_id))).scalar() or 0) + 1
        db.session.add_all(Synonym(word=w, group_id=group_id) for w in words)
        db.session.commit()
        return {"id": group_id, "words": words}, 201

    @app.get("/api/search")
    def search():
        q = request.args.get("q", "")
        if not q.strip():
            abort(400, description="q is required")
        page, per_page = page_args()
        words = words_of(q)
        total, items = 0, []
        if words:
            match = expanded_match(words)
            total = db.session.execute(
                text("SELECT count(*) FROM product_fts WHERE product_fts MATCH :match"), {"match": match}
            ).scalar()
            rows = db.session.execute(
                text(
                    "SELECT rowid AS id, name FROM product_fts WHERE product_fts MATCH :match "
                    "ORDER BY bm25(product_fts), rowid LIMIT :limit OFFSET :offset"
                ),
                {"match": match, "limit": per_page, "offset": (page - 1) * per_page},
            ).mappings()
            items = [dict(row) for row in rows]
            if page == 1:  # later pages continue the same search: one search, one log row
                db.session.add(SearchLog(phrase=" ".join(words), results=total))
                db.session.commit()
        return {"query": q, "total": total, "page": page, "per_page": per_page, "items": items}

    @app.get("/api/search/analytics")
    def analytics():
        count = func.count(SearchLog.id).label("count")

        def top(stmt):
            stmt = stmt.group_by(SearchLog.phrase).order_by(count.desc(), SearchLog.phrase.desc()).limit(TOP)
            return [{"query": query, "count": n} for query, n in db.session.execute(stmt)]

        return {
            "top_queries": top(db.select(SearchLog.phrase, count)),
            "zero_result_queries": top(db.select(SearchLog.phrase, count).where(SearchLog.results == 0)),
        }

    with app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            connection.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS product_fts USING fts5(name, description)"))
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
