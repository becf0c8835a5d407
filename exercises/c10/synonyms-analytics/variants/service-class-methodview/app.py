"""A SearchService class owns expansion, logging and analytics; MethodViews call it. Legacy
Query API (db.session.query / Model.query) for the analytics."""
import os
import re

from flask import Flask, abort, request
from flask.views import MethodView
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, func, text
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()


class Product(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")


class Synonym(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    word = db.Column(db.String(100), unique=True, nullable=False)
    group_id = db.Column(db.Integer, nullable=False)


class Search(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    normalized = db.Column(db.String(500), nullable=False, index=True)
    hits = db.Column(db.Integer, nullable=False)


@event.listens_for(Product, "after_insert")
def index_new(mapper, connection, target):
    connection.execute(text("INSERT INTO catalog (rowid, name, description) VALUES (:i, :n, :d)"),
                       {"i": target.id, "n": target.name, "d": target.description})


class SearchService:
    LIMIT = 10

    @staticmethod
    def words(q):
        return re.findall(r"\w+", q.lower())

    def expand(self, word):
        row = Synonym.query.filter_by(word=word).first()
        if row is None:
            return [word]
        return [s.word for s in Synonym.query.filter_by(group_id=row.group_id).order_by(Synonym.id)]

    def match(self, words):
        return " AND ".join("(%s)" % " OR ".join('"%s"' % w for w in self.expand(word)) for word in words)

    def run(self, words, page, per_page):
        match = self.match(words)
        total = db.session.execute(text("SELECT count(*) FROM catalog WHERE catalog MATCH :m"), {"m": match}).scalar()
        rows = db.session.execute(text(
            "SELECT rowid, name FROM catalog WHERE catalog MATCH :m ORDER BY bm25(catalog), rowid LIMIT :l OFFSET :o"),
            {"m": match, "l": per_page, "o": (page - 1) * per_page}).all()
        return total, [{"id": r.rowid, "name": r.name} for r in rows]

    def record(self, words, total):
        db.session.add(Search(normalized=" ".join(words), hits=total))
        db.session.commit()

    def ranking(self, only_zero=False):
        query = db.session.query(Search.normalized, func.count(Search.id).label("n"))
        if only_zero:
            query = query.filter(Search.hits == 0)
        rows = query.group_by(Search.normalized).order_by(func.count(Search.id).desc(), Search.normalized).limit(self.LIMIT)
        return [{"query": phrase, "count": n} for phrase, n in rows]


service = SearchService()


def bounded(name, default, most=None):
    value = request.args.get(name, default, type=int)
    raw = request.args.get(name)
    if (raw is not None and not raw.isdigit()) or value is None or value < 1 or (most and value > most):
        abort(400, f"invalid {name}")
    return value


class Products(MethodView):
    def post(self):
        data = request.get_json(silent=True) or {}
        name = data.get("name") if isinstance(data, dict) else None
        if not isinstance(name, str) or not name.strip() or not isinstance(data.get("description", ""), str):
            abort(400, "name (string) is required; description must be a string")
        product = Product(name=name.strip(), description=data.get("description", ""))
        db.session.add(product)
        db.session.commit()
        return {"id": product.id, "name": product.name}, 201


class Synonyms(MethodView):
    def post(self):
        data = request.get_json(silent=True)
        words = data.get("words") if isinstance(data, dict) else None
        if not isinstance(words, list) or not all(isinstance(w, str) and re.fullmatch(r"\w+", w.strip()) for w in words):
            abort(400, "words must be a list of single words")
        words = list(dict.fromkeys(w.strip().lower() for w in words))
        if len(words) < 2:
            abort(400, "at least two different words")
        if Synonym.query.filter(Synonym.word.in_(words)).count():
            abort(409, "a word is already in a group")
        group_id = (db.session.query(func.max(Synonym.group_id)).scalar() or 0) + 1
        db.session.add_all([Synonym(word=w, group_id=group_id) for w in words])
        db.session.commit()
        return {"id": group_id, "words": words}, 201


class SearchView(MethodView):
    def get(self):
        q = request.args.get("q", "")
        if not q.strip():
            abort(400, "q is required")
        page, per_page = bounded("page", 1), bounded("per_page", 10, 50)
        words = service.words(q)
        total, items = service.run(words, page, per_page) if words else (0, [])
        if words and page == 1:
            service.record(words, total)
        return {"query": q, "total": total, "page": page, "per_page": per_page, "items": items}


class Analytics(MethodView):
    def get(self):
        return {"top_queries": service.ranking(), "zero_result_queries": service.ranking(only_zero=True)}


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "shop.db"))
    app.config.from_mapping(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    app.register_error_handler(HTTPException, lambda e: ({"error": e.description}, e.code))
    app.add_url_rule("/api/products", view_func=Products.as_view("products"))
    app.add_url_rule("/api/synonyms", view_func=Synonyms.as_view("synonyms"))
    app.add_url_rule("/api/search", view_func=SearchView.as_view("search"))
    app.add_url_rule("/api/search/analytics", view_func=Analytics.as_view("analytics"))
    with app.app_context():
        db.create_all()
        db.session.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS catalog USING fts5(name, description)"))
        db.session.commit()
    return app
