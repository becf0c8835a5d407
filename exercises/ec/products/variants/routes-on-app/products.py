"""The catalogue, registered on the app itself (no blueprint), with the legacy Model.query API."""

import numbers

from flask import abort, jsonify, request

from auth import admin_required
from models import Product, db


def _integer(data, key, low, high, default=None):
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
        abort(400, description=f"{key} must be a whole number between {low} and {high}")
    return int(value)


def register_products(app):
    @app.route("/api/products", methods=["GET"])
    def list_products():
        return jsonify(products=[p.to_dict() for p in Product.query.order_by(Product.id).all()])

    @app.route("/api/products/<int:product_id>", methods=["GET"])
    def get_product(product_id):
        product = Product.query.filter_by(id=product_id).first()
        if product is None:
            abort(404, description=f"Product {product_id} does not exist")
        return jsonify(product.to_dict())

    @app.route("/api/products", methods=["POST"])
    @admin_required
    def create_product():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            abort(400, description="Expected a JSON object")
        name = data.get("name")
        name = name.strip() if isinstance(name, str) else ""
        if not name or len(name) > 100:
            abort(400, description="name is required (at most 100 characters)")
        product = Product(
            name=name,
            price_cents=_integer(data, "price_cents", 0, 100_000_000),
            stock=_integer(data, "stock", 0, 1_000_000, default=0),
        )
        db.session.add(product)
        db.session.commit()
        return jsonify(product.to_dict()), 201
