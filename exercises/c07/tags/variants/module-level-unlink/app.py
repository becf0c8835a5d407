"""Products API with tag-based invalidation: a module-level app, routes on it; each route says
its entry's tags; invalidation goes tag by tag with UNLINK."""
import hmac
import json
import logging
import os

from flask import Flask, current_app, jsonify, request
from redis.exceptions import RedisError

from redis_conn import get_redis
from store import ProductStore

log = logging.getLogger(__name__)

app = Flask(__name__)
app.config.from_mapping(
    REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    CACHE_TTL=300,
    STORE_DELAY=0.2,
    ADMIN_TOKEN=os.environ.get("ADMIN_TOKEN"),
)
app.extensions["store"] = ProductStore()

def store():
    s = app.extensions["store"]
    s.delay = current_app.config["STORE_DELAY"]
    return s


def invalidate(tags):
    """Tag by tag: SMEMBERS, then UNLINK (deleted in the background) of its keys and the set.
    Keys already deleted through an earlier tag are not counted twice."""
    redis = get_redis()
    deleted = 0
    for tag in dict.fromkeys(tags):
        keys = list(redis.smembers("tag:" + tag))
        if keys:
            deleted += redis.unlink(*keys)
        redis.unlink("tag:" + tag)
    return deleted


def cache_put(key, value, tags):
    ttl = current_app.config["CACHE_TTL"]
    pipe = get_redis().pipeline(transaction=True)
    pipe.setex(key, ttl, json.dumps(value))
    for tag in tags:
        pipe.sadd("tag:" + tag, key).expire("tag:" + tag, ttl)
    pipe.execute()


def cached(key, load, tags_of):
    try:
        text = get_redis().get(key)
    except RedisError:
        log.warning("Redis unavailable", exc_info=True)
        text = None
    if text is not None:
        return json.loads(text), "HIT"
    value = load()
    if value is not None:
        try:
            cache_put(key, value, tags_of(value))
        except RedisError:
            log.warning("not cached: %s", key, exc_info=True)
    return value, "MISS"


def product_tags(products):
    return ["product:%d" % p["id"] for p in products]


@app.get("/api/products")
def list_products():
    products, source = cached("products:all", store().list, lambda ps: ["products"] + product_tags(ps))
    return jsonify(products), 200, {"X-Cache": source}


@app.get("/api/products/<int:product_id>")
def get_product(product_id):
    key = "product:%d" % product_id
    product, source = cached(key, lambda: store().get(product_id), lambda p: [key, "category:" + p["category"]])
    if product is None:
        return jsonify(error="product not found"), 404
    return jsonify(product), 200, {"X-Cache": source}


@app.get("/api/categories/<category>/products")
def list_category(category):
    key = "category:" + category
    products, source = cached(key, lambda: store().list(category), lambda ps: [key] + product_tags(ps))
    return jsonify(products), 200, {"X-Cache": source}


@app.put("/api/products/<int:product_id>")
def update_product(product_id):
    fields = request.get_json(silent=True)
    if not isinstance(fields, dict) or not fields or not set(fields) <= {"name", "price_cents", "category"}:
        return jsonify(error="send name, price_cents and/or category"), 400
    if any(f in fields and (not isinstance(fields[f], str) or not fields[f].strip()) for f in ("name", "category")):
        return jsonify(error="name and category must be non-empty strings"), 400
    if "price_cents" in fields and (type(fields["price_cents"]) is not int or fields["price_cents"] < 0):
        return jsonify(error="price_cents must be an integer >= 0"), 400
    old = store().get(product_id)
    if old is None:
        return jsonify(error="product not found"), 404
    new = store().update(product_id, fields)
    try:
        invalidate(["product:%d" % product_id, "category:" + old["category"], "category:" + new["category"]])
    except RedisError:
        log.error("stale cache for product %s until it expires", product_id, exc_info=True)
    return jsonify(new)


@app.post("/api/cache/invalidate")
def invalidate_route():
    token = current_app.config.get("ADMIN_TOKEN")
    if not token or not hmac.compare_digest(request.headers.get("X-Admin-Token", ""), token):
        return jsonify(error="unauthorized"), 401
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or list(body) != ["tags"]:
        return jsonify(error='expected {"tags": [...]}'), 400
    tags = body["tags"]
    if not isinstance(tags, list) or not 0 < len(tags) <= 100 or any(not isinstance(t, str) or not t.strip() for t in tags):
        return jsonify(error="tags: 1 to 100 non-empty strings"), 400
    try:
        return jsonify(invalidated=invalidate(tags))
    except RedisError:
        log.error("invalidation failed", exc_info=True)
        return jsonify(error="cache unavailable"), 503
