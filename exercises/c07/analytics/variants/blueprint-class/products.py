import json

from flask import Blueprint, current_app, jsonify
from redis.exceptions import RedisError

from cache_stats import CacheStats
from redis_conn import get_redis

products_bp = Blueprint("products", __name__)


def read_through(name, key, load):
    redis, stats = get_redis(), CacheStats(get_redis())
    try:
        text = redis.get(key)
    except RedisError:
        text = None
    if text is not None:
        stats.hit(name, key)
        return json.loads(text), "HIT"
    value = load()
    if value is not None:
        try:
            redis.setex(key, current_app.config["CACHE_TTL"], json.dumps(value))
        except RedisError:
            current_app.logger.warning("not cached: %s", key)
        stats.miss(name, key)
    return value, "MISS"


@products_bp.get("/products/<int:product_id>")
def get_product(product_id):
    product, source = read_through("product", f"product:{product_id}", lambda: current_app.extensions["store"].get(product_id))
    if product is None:
        return jsonify(error=f"no product {product_id}"), 404
    return jsonify(product), 200, {"X-Cache": source}


@products_bp.get("/categories/<category>/products")
def list_category(category):
    products, source = read_through("category", f"category:{category}", lambda: current_app.extensions["store"].list(category))
    return jsonify(products), 200, {"X-Cache": source}
