import json

from flask import Blueprint, current_app, jsonify, request
from flask.views import MethodView

from synced_cache import SyncedCache

bp = Blueprint("products", __name__, url_prefix="/api")


class ProductAPI(MethodView):
    def get(self, product_id):
        cache, key = SyncedCache.current(), f"product:{product_id}"
        text = cache.get(key)
        if text is not None:
            return current_app.response_class(text, mimetype="application/json", headers={"X-Cache": "L1"})
        product = current_app.extensions["store"].get(product_id)
        if product is None:
            return jsonify(error="product not found"), 404
        cache.set(key, json.dumps(product))
        return jsonify(product), 200, {"X-Cache": "MISS"}

    def put(self, product_id):
        fields = request.get_json(silent=True)
        valid = (
            isinstance(fields, dict)
            and fields
            and set(fields) <= {"name", "price_cents"}
            and (not "name" in fields or (isinstance(fields["name"], str) and fields["name"].strip()))
            and (not "price_cents" in fields or (type(fields["price_cents"]) is int and fields["price_cents"] >= 0))
        )
        if not valid:
            return jsonify(error="name: non-empty string, price_cents: integer >= 0"), 400
        product = current_app.extensions["store"].update(product_id, fields)
        if product is None:
            return jsonify(error="product not found"), 404
        SyncedCache.current().delete(f"product:{product_id}", announce=True)
        return jsonify(product)


@bp.post("/cache/clear")
def clear():
    SyncedCache.current().clear(announce=True)
    return "", 204


bp.add_url_rule("/products/<int:product_id>", view_func=ProductAPI.as_view("product"))
