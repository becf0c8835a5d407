"""Products API with cache analytics: a module-level app; a @cached_view decorator does the
read-through and the counting; the counters are written in one MULTI/EXEC transaction."""
import hmac
import json
import logging
import os
from functools import wraps

from flask import Flask, abort, current_app, jsonify, request
from redis.exceptions import RedisError

from redis_conn import get_redis
from store import ProductStore

log = logging.getLogger(__name__)
NAMES = ("product", "category")

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


def tally(name, key, hit):
    try:
        with get_redis().pipeline() as tx:
            tx.hincrby("cache:stats:" + name, "hits" if hit else "misses", 1)
            tx.zincrby("cache:hot", 1, key)
            tx.execute()
    except RedisError:
        log.warning("not counted: %s", key, exc_info=True)


def cached_view(name, key_of):
    """The view returns the value to cache, or aborts (404): then nothing is cached or counted."""

    def decorator(view):
        @wraps(view)
        def wrapper(**kwargs):
            key = key_of(**kwargs)
            try:
                text = get_redis().get(key)
            except RedisError:
                text = None
            hit = text is not None
            if not hit:
                text = json.dumps(view(**kwargs))
                try:
                    get_redis().set(key, text, ex=current_app.config["CACHE_TTL"])
                except RedisError:
                    log.warning("not cached: %s", key, exc_info=True)
            tally(name, key, hit)
            return current_app.response_class(text, mimetype="application/json", headers={"X-Cache": "HIT" if hit else "MISS"})

        return wrapper

    return decorator


@app.get("/api/products/<int:product_id>")
@cached_view("product", lambda product_id: f"product:{product_id}")
def get_product(product_id):
    product = store().get(product_id)
    if product is None:
        abort(404)
    return product


@app.get("/api/categories/<category>/products")
@cached_view("category", lambda category: f"category:{category}")
def list_category(category):
    return store().list(category)


@app.errorhandler(404)
def not_found(error):
    return jsonify(error="not found"), 404


@app.before_request
def guard_stats():
    if request.path == "/api/cache/stats":
        token = current_app.config.get("ADMIN_TOKEN") or ""
        if not token or not hmac.compare_digest(request.headers.get("X-Admin-Token", ""), token):
            return jsonify(error="admin token required"), 401
    return None


@app.errorhandler(RedisError)
def redis_down(error):
    log.error("Redis unavailable: %s", error)
    return jsonify(error="Redis is unavailable"), 503


@app.route("/api/cache/stats", methods=["GET", "DELETE"])
def stats():
    redis = get_redis()
    if request.method == "DELETE":
        redis.delete(*("cache:stats:" + n for n in NAMES), "cache:hot")
        return "", 204
    caches = {}
    for name in NAMES:
        raw = redis.hgetall("cache:stats:" + name)
        caches[name] = {"hits": int(raw.get("hits", 0)), "misses": int(raw.get("misses", 0))}
    hits = sum(c["hits"] for c in caches.values())
    misses = sum(c["misses"] for c in caches.values())
    total = {"hits": hits, "misses": misses}
    for c in [*caches.values(), total]:
        reads = c["hits"] + c["misses"]
        c["hit_ratio"] = round(c["hits"] / reads, 3) if reads else None
    hot = [{"key": k, "reads": int(s)} for k, s in redis.zrevrange("cache:hot", 0, 4, withscores=True)]
    return jsonify(caches=caches, total=total, hot_keys=hot)
