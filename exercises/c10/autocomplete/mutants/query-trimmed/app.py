"""Products with an autocomplete endpoint: prefix queries on an FTS5 index with prefix indexes,
ranked by popularity. SQL triggers keep the index in sync with the product table."""
import os
import re

from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()
MIN_CHARS = 2
DEFAULT_LIMIT, MAX_LIMIT = 5, 10

# External-content FTS5 table: it indexes product.name without storing a copy. unicode61 (no
# porter: a stemmer turns "gaming" into "game", so the prefix "gami" would miss it); prefix
# indexes make 2- and 3-character prefix queries a lookup instead of a range scan.
SEARCH_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS product_fts USING fts5("
    "name, content='product', content_rowid='id', tokenize='unicode61', prefix='2 3')",
    "CREATE TRIGGER IF NOT EXISTS product_fts_ai AFTER INSERT ON product BEGIN "
    "INSERT INTO product_fts (rowid, name) VALUES (new.id, new.name); END",
    "CREATE TRIGGER IF NOT EXISTS product_fts_ad AFTER DELETE ON product BEGIN "
    "INSERT INTO product_fts (product_fts, rowid, name) VALUES ('delete', old.id, old.name); END",
    "CREATE TRIGGER IF NOT EXISTS product_fts_au AFTER UPDATE OF name ON product BEGIN "
    "INSERT INTO product_fts (product_fts, rowid, name) VALUES ('delete', old.id, old.name); "
    "INSERT INTO product_fts (rowid, name) VALUES (new.id, new.name); END",
]


class Product(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    popularity = db.Column(db.Integer, nullable=False, default=0)

    def to_dict(self):
        return {"id": self.id, "name": self.name, "popularity": self.popularity}


def init_search(connection):
    for statement in SEARCH_DDL:
        connection.execute(text(statement))


def prefix_query(q):
    """'gam LAP"' -> '"gam"* "lap"*': every word a quoted prefix, ANDed; '' without words."""
    return " ".join('"%s"*' % word for word in re.findall(r"\w+", q.lower()))


def validated(data, partial):
    if not isinstance(data, dict):
        abort(400, description="send a JSON object")
    clean = {}
    if "name" in data or not partial:
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            abort(400, description="name must be a non-blank string")
        clean["name"] = name.strip()
    if "popularity" in data:
        popularity = data["popularity"]
        if not isinstance(popularity, int) or isinstance(popularity, bool) or popularity < 0:
            abort(400, description="popularity must be an integer, 0 or more")
        clean["popularity"] = popularity
    return clean


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
        product = Product(**validated(request.get_json(silent=True), partial=False))
        db.session.add(product)
        db.session.commit()
        return product.to_dict(), 201

    @app.patch("/api/products/<int:product_id>")
    def update_product(product_id):
        product = db.get_or_404(Product, product_id)
        for key, value in validated(request.get_json(silent=True), partial=True).items():
            setattr(product, key, value)
        db.session.commit()
        return product.to_dict()

    @app.delete("/api/products/<int:product_id>")
    def delete_product(product_id):
        db.session.delete(db.get_or_404(Product, product_id))
        db.session.commit()
        return "", 204

    @app.get("/api/autocomplete")
    def autocomplete():
        q = request.args.get("q", "")
        raw_limit = request.args.get("limit", str(DEFAULT_LIMIT))
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
            abort(400, description=f"limit must be a whole number from 1 to {MAX_LIMIT}")
        match = prefix_query(q)
        if len(q.strip()) < MIN_CHARS or not match:
            return {"query": q, "suggestions": []}  # too short to be useful: no query at all
        rows = db.session.execute(
            text(
                "SELECT p.id, p.name, p.popularity FROM product_fts JOIN product AS p ON p.id = product_fts.rowid "
                "WHERE product_fts MATCH :match ORDER BY p.popularity DESC, lower(p.name), p.id LIMIT :limit"
            ),
            {"match": match, "limit": int(raw_limit)},
        ).mappings()
        return {"query": q.strip(), "suggestions": [dict(row) for row in rows]}

    with app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            init_search(connection)
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
