"""A standalone FTS5 table (it stores its own copy of the names) maintained by mapper events;
MethodViews and legacy Model.query."""
import os
import re

from flask import Flask, abort, current_app, request
from flask.views import MethodView
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, text
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()


class Product(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    popularity = db.Column(db.Integer, nullable=False, default=0)

    def to_dict(self):
        return {"id": self.id, "name": self.name, "popularity": self.popularity}


@event.listens_for(Product, "after_insert")
@event.listens_for(Product, "after_update")
def reindex(mapper, connection, target):
    connection.execute(text("DELETE FROM name_index WHERE rowid = :id"), {"id": target.id})
    connection.execute(text("INSERT INTO name_index (rowid, name) VALUES (:id, :name)"),
                       {"id": target.id, "name": target.name})


@event.listens_for(Product, "after_delete")
def unindex(mapper, connection, target):
    connection.execute(text("DELETE FROM name_index WHERE rowid = :id"), {"id": target.id})


def fields(partial):
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, "send a JSON object")
    out = {}
    if "name" in data or not partial:
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            abort(400, "name must be a non-blank string")
        out["name"] = name.strip()
    if "popularity" in data:
        if not isinstance(data["popularity"], int) or isinstance(data["popularity"], bool) or data["popularity"] < 0:
            abort(400, "popularity must be an integer, 0 or more")
        out["popularity"] = data["popularity"]
    return out


class Products(MethodView):
    def post(self):
        product = Product(**fields(False))
        db.session.add(product)
        db.session.commit()
        return product.to_dict(), 201


class OneProduct(MethodView):
    def patch(self, product_id):
        product = Product.query.get_or_404(product_id)
        for key, value in fields(True).items():
            setattr(product, key, value)
        db.session.commit()
        return product.to_dict()

    def delete(self, product_id):
        db.session.delete(Product.query.get_or_404(product_id))
        db.session.commit()
        return "", 204


class Autocomplete(MethodView):
    def get(self):
        q = request.args.get("q", "")
        limit = request.args.get("limit", "5")
        if not limit.isdigit() or int(limit) not in range(1, current_app.config["AUTOCOMPLETE_MAX"] + 1):
            abort(400, "limit must be from 1 to %d" % current_app.config["AUTOCOMPLETE_MAX"])
        terms = re.findall(r"\w+", q)
        if len(q.strip()) < 2 or not terms:
            return {"query": q, "suggestions": []}
        ids = [row[0] for row in db.session.execute(
            text("SELECT rowid FROM name_index WHERE name_index MATCH :m"),
            {"m": " AND ".join('"%s" *' % t for t in terms)})]
        products = (Product.query.filter(Product.id.in_(ids))
                    .order_by(Product.popularity.desc(), db.func.lower(Product.name), Product.id)
                    .limit(int(limit)).all())
        return {"query": q, "suggestions": [p.to_dict() for p in products]}


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "shop.db"),
                      AUTOCOMPLETE_MAX=10)
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    app.register_error_handler(HTTPException, lambda e: ({"error": e.description}, e.code))
    app.add_url_rule("/api/products", view_func=Products.as_view("products"))
    app.add_url_rule("/api/products/<int:product_id>", view_func=OneProduct.as_view("product"))
    app.add_url_rule("/api/autocomplete", view_func=Autocomplete.as_view("autocomplete"))
    with app.app_context():
        db.create_all()
        with db.engine.begin() as conn:
            conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS name_index USING fts5(name, prefix='2 3')"))
    return app
