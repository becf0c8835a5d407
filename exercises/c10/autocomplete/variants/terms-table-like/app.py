"""No FTS5: a product_term table holds the lower-cased words of each name (kept by mapper
events), and prefixes are matched with LIKE 'pre%' (escaped) through the ORM."""
import os
import re

from flask import Blueprint, Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, exists, func, select
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()
api = Blueprint("api", __name__, url_prefix="/api")


class Product(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    popularity = db.Column(db.Integer, nullable=False, default=0)

    def to_dict(self):
        return {"id": self.id, "name": self.name, "popularity": self.popularity}


class ProductTerm(db.Model):
    __tablename__ = "product_term"
    id = db.Column(db.Integer, primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey("product.id", ondelete="CASCADE"), nullable=False, index=True)
    term = db.Column(db.String(200), nullable=False, index=True)


def words(value):
    return re.findall(r"\w+", value.lower())


def _write_terms(connection, product):
    connection.execute(ProductTerm.__table__.delete().where(ProductTerm.product_id == product.id))
    terms = sorted(set(words(product.name)))
    if terms:
        connection.execute(ProductTerm.__table__.insert(), [{"product_id": product.id, "term": t} for t in terms])


@event.listens_for(Product, "after_insert")
@event.listens_for(Product, "after_update")
def product_saved(mapper, connection, target):
    _write_terms(connection, target)


@event.listens_for(Product, "after_delete")
def product_deleted(mapper, connection, target):
    connection.execute(ProductTerm.__table__.delete().where(ProductTerm.product_id == target.id))


def like_prefix(word):
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def payload(partial):
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, "send a JSON object")
    out = {}
    if not partial or "name" in data:
        if not isinstance(data.get("name"), str) or not data["name"].strip():
            abort(400, "name must be a non-blank string")
        out["name"] = data["name"].strip()
    if "popularity" in data:
        p = data["popularity"]
        if type(p) is not int or p < 0:
            abort(400, "popularity must be an integer, 0 or more")
        out["popularity"] = p
    return out


@api.post("/products")
def create_product():
    product = Product(**payload(False))
    db.session.add(product)
    db.session.commit()
    return product.to_dict(), 201


@api.patch("/products/<int:product_id>")
def update_product(product_id):
    product = db.get_or_404(Product, product_id)
    for key, value in payload(True).items():
        setattr(product, key, value)
    db.session.commit()
    return product.to_dict()


@api.delete("/products/<int:product_id>")
def delete_product(product_id):
    db.session.delete(db.get_or_404(Product, product_id))
    db.session.commit()
    return "", 204


@api.get("/autocomplete")
def autocomplete():
    q = request.args.get("q", "")
    try:
        limit = int(request.args.get("limit", "5"))
    except ValueError:
        abort(400, "limit must be a whole number")
    if not 1 <= limit <= 10:
        abort(400, "limit must be from 1 to 10")
    prefixes = words(q)
    if len(q.strip()) < 2 or not prefixes:
        return {"query": q, "suggestions": []}
    stmt = select(Product)
    for prefix in prefixes:
        stmt = stmt.where(exists().where(ProductTerm.product_id == Product.id,
                                         ProductTerm.term.like(like_prefix(prefix), escape="\\")))
    stmt = stmt.order_by(Product.popularity.desc(), func.lower(Product.name), Product.id).limit(limit)
    return {"query": q, "suggestions": [p.to_dict() for p in db.session.execute(stmt).scalars()]}


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "shop.db")
    app.config.update(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    app.register_blueprint(api)
    app.register_error_handler(HTTPException, lambda e: ({"error": e.description}, e.code))
    with app.app_context():
        db.create_all()
    return app
