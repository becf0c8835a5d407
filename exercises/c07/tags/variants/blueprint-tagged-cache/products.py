import logging

from flask import Blueprint, current_app, jsonify, request
from redis.exceptions import RedisError

from tagged_cache import TaggedCache

log = logging.getLogger(__name__)
products_bp = Blueprint("products", __name__)


def read(key, load, tags_of):
    cache = TaggedCache.current()
    try:
        value = cache.get(key)
    except RedisError:
        value = None
    if value is not None:
        return value, "HIT"
    value = load()
    if value is not None:
        try:
            cache.put(key, value, tags_of(value))
        except RedisError:
            log.warning("could not cache %s", key)
    return value, "MISS"


def store():
    return current_app.extensions["store"]


@products_bp.get("/products")
def all_products():
    items, source = read("products:all", store().list, lambda items: ["products", *(f"product:{p['id']}" for p in items)])
    return jsonify(items), 200, {"X-Cache": source}


@products_bp.get("/products/<int:product_id>")
def one_product(product_id):
    item, source = read(f"product:{product_id}", lambda: store().get(product_id), lambda p: [f"product:{p['id']}", f"category:{p['category']}"])
    if item is None:
        return jsonify(error="no such product"), 404
    return jsonify(item), 200, {"X-Cache": source}


@products_bp.get("/categories/<category>/products")
def category_products(category):
    items, source = read(f"category:{category}", lambda: store().list(category), lambda items: [f"category:{category}", *(f"product:{p['id']}" for p in items)])
    return jsonify(items), 200, {"X-Cache": source}


@products_bp.put("/products/<int:product_id>")
def change_product(product_id):
    fields = request.get_json(silent=True)
    allowed = {"name": str, "category": str, "price_cents": int}
    if not isinstance(fields, dict) or not fields or any(k not in allowed for k in fields):
        return jsonify(error="fields: name, price_cents, category"), 400
    for name, value in fields.items():
        if type(value) is not allowed[name] or (isinstance(value, str) and not value.strip()) or (name == "price_cents" and value < 0):
            return jsonify(error=f"invalid {name}"), 400
    before = store().get(product_id)
    if before is None:
        return jsonify(error="no such product"), 404
    after = store().update(product_id, fields)
    try:
        TaggedCache.current().invalidate(f"product:{product_id}", f"category:{before['category']}", f"category:{after['category']}")
    except RedisError:
        log.error("product %s stays stale in the cache until it expires", product_id)
    return jsonify(after)
