"""Products API with a Redis read-through cache, and cache warming to build (see README.md)."""
import json
import logging
import os

from flask import Flask, current_app, jsonify
from redis.exceptions import RedisError

from redis_conn import get_redis
from store import ProductStore

log = logging.getLogger(__name__)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        CACHE_TTL=300,  # seconds a product stays in Redis
        STORE_DELAY=0.2,  # the store is slow: that is why we warm the cache
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["store"] = ProductStore(delay=app.config["STORE_DELAY"])

    @app.get("/api/products/<int:product_id>")
    def get_product(product_id):
        key = f"product:{product_id}"
        try:
            text = get_redis().get(key)
        except RedisError as e:
            log.warning("Redis unavailable: %s", e)
            text = None
        if text is not None:
            return current_app.response_class(text, mimetype="application/json", headers={"X-Cache": "HIT"})
        product = current_app.extensions["store"].get(product_id)
        if product is None:
            return jsonify(error="product not found"), 404
        try:
            get_redis().set(key, json.dumps(product), ex=current_app.config["CACHE_TTL"])
        except RedisError as e:
            log.warning("Redis unavailable: %s", e)
        # TODO: count this read in the sorted set product:popularity
        return jsonify(product), 200, {"X-Cache": "MISS"}

    @app.post("/api/cache/warm")
    def warm_cache():
        # TODO: warm the products listed in "ids", every product, or the "top" N most read
        return jsonify(error="not implemented yet"), 501

    # TODO: a `flask warm-cache` command (with an optional --top N)

    return app
