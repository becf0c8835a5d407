from flask import Blueprint, current_app, jsonify, request
from flask.views import MethodView

from cache_levels import L2Cache, read_through
from redis_conn import get_redis

bp = Blueprint("products", __name__, url_prefix="/api/products")


def _problem(fields):
    if not isinstance(fields, dict) or not fields:
        return "send a JSON object with name and/or price_cents"
    if set(fields) - {"name", "price_cents"}:
        return "only name and price_cents can change"
    if "name" in fields and (not isinstance(fields["name"], str) or not fields["name"].strip()):
        return "name must be a non-empty string"
    price = fields.get("price_cents", 0)
    if type(price) is not int or price < 0:
        return "price_cents must be an integer >= 0"
    return None


class ProductAPI(MethodView):
    def _levels(self):
        return current_app.extensions["l1"], L2Cache(get_redis(), current_app.config["L2_TTL"])

    def get(self, product_id):
        l1, l2 = self._levels()
        store = current_app.extensions["store"]
        product, source = read_through(l1, l2, f"product:{product_id}", lambda: store.get(product_id))
        if product is None:
            return {"error": "product not found"}, 404
        return product, 200, {"X-Cache": source}

    def put(self, product_id):
        fields = request.get_json(silent=True)
        problem = _problem(fields)
        if problem:
            return jsonify(error=problem), 400
        product = current_app.extensions["store"].update(product_id, fields)
        if product is None:
            return jsonify(error="product not found"), 404
        for level in self._levels():
            level.drop(f"product:{product_id}")
        return jsonify(product)


bp.add_url_rule("/<int:product_id>", view_func=ProductAPI.as_view("product"))
