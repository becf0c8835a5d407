"""Products API with cache warming: a module-level app, routes on it, a Warmer class that asks
Redis key by key (EXISTS, then SETEX) and an explicit validation function."""
import json
import logging
import os

import click
from flask import Flask, current_app, jsonify, request
from redis.exceptions import RedisError

from redis_conn import get_redis
from store import ProductStore

log = logging.getLogger(__name__)
RANKING = "product:popularity"

app = Flask(__name__)
app.config.from_mapping(REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), CACHE_TTL=300, STORE_DELAY=0.2)
app.extensions["store"] = ProductStore()


def store():
    s = app.extensions["store"]
    s.delay = current_app.config["STORE_DELAY"]
    return s


class Warmer:
    def __init__(self, redis, store, ttl):
        self.redis, self.store, self.ttl = redis, store, ttl

    def warm(self, ids, force=False):
        result = {"warmed": [], "skipped": [], "missing": []}
        for product_id in sorted(set(ids)):
            key = f"product:{product_id}"
            if not force and self.redis.exists(key):
                result["skipped"].append(product_id)
                continue
            product = self.store.get(product_id)
            if product is None:
                result["missing"].append(product_id)
            else:
                self.redis.setex(key, self.ttl, json.dumps(product))
                result["warmed"].append(product_id)
        return result

    def top(self, n):
        return [int(m) for m in self.redis.zrevrange(RANKING, 0, n - 1)]


def warmer():
    return Warmer(get_redis(), store(), current_app.config["CACHE_TTL"])


def is_int(value, low, high):
    return type(value) is int and low <= value <= high


def validation_error(body):
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    for field in body:
        if field not in ("ids", "top", "force"):
            return f"unknown field {field!r}"
    if "ids" in body and "top" in body:
        return "ids and top cannot be combined"
    if "ids" in body:
        ids = body["ids"]
        if not isinstance(ids, list) or not 0 < len(ids) <= 1000 or not all(is_int(i, 1, float("inf")) for i in ids):
            return "ids: a list of 1 to 1000 positive integers"
    if "top" in body and not is_int(body["top"], 1, 100):
        return "top: an integer from 1 to 100"
    if "force" in body and not isinstance(body["force"], bool):
        return "force: true or false"
    return None


@app.get("/api/products/<int:product_id>")
def get_product(product_id):
    key = f"product:{product_id}"
    try:
        text = get_redis().get(key)
    except RedisError as e:
        log.warning("Redis unavailable: %s", e)
        text = None
    if text is not None:
        product, source = json.loads(text), "HIT"
    else:
        product, source = store().get(product_id), "MISS"
        if product is None:
            return jsonify(error="product not found"), 404
        try:
            get_redis().set(key, json.dumps(product), ex=current_app.config["CACHE_TTL"])
        except RedisError as e:
            log.warning("Redis unavailable: %s", e)
    try:
        get_redis().zincrby(RANKING, 1, str(product_id))
    except RedisError as e:
        log.warning("read of %s not counted: %s", product_id, e)
    return jsonify(product), 200, {"X-Cache": source}


@app.post("/api/cache/warm")
def warm_cache():
    body = request.get_json(silent=True) if request.get_data() else {}
    problem = validation_error(body)
    if problem:
        return jsonify(error=problem), 400
    try:
        w = warmer()
        if "top" in body:
            ids = w.top(body["top"])
        else:
            ids = body.get("ids") or store().ids()
        return jsonify(w.warm(ids, force=body.get("force", False)))
    except RedisError as e:
        log.error("warming failed: %s", e)
        return jsonify(error="Redis is unavailable, nothing was warmed"), 503


@app.cli.command("warm-cache")
@click.option("--top", type=int, default=None)
def warm_cache_command(top):
    """Warm every product, or the --top N most read."""
    w = warmer()
    r = w.warm(w.top(top) if top else store().ids())
    click.echo("warmed %d, skipped %d, missing %d" % (len(r["warmed"]), len(r["skipped"]), len(r["missing"])))
