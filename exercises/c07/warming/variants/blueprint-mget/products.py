import json
import logging

from flask import Blueprint, current_app
from redis.exceptions import RedisError

from redis_conn import get_redis

log = logging.getLogger(__name__)
products_bp = Blueprint("products", __name__)


@products_bp.get("/api/products/<int:product_id>")
def get_product(product_id):
    key = f"product:{product_id}"
    redis = get_redis()
    try:
        text = redis.get(key)
    except RedisError:
        text = None
    headers = {"X-Cache": "HIT" if text is not None else "MISS"}
    if text is None:
        product = current_app.extensions["store"].get(product_id)
        if product is None:
            return {"error": "product not found"}, 404
        text = json.dumps(product)
    try:
        with redis.pipeline() as pipe:  # MULTI/EXEC: cache write and ranking together
            if headers["X-Cache"] == "MISS":
                pipe.set(key, text, ex=current_app.config["CACHE_TTL"])
            pipe.zincrby("product:popularity", 1, str(product_id))
            pipe.execute()
    except RedisError as e:
        log.warning("Redis unavailable: %s", e)
    return current_app.response_class(text, mimetype="application/json", headers=headers)
