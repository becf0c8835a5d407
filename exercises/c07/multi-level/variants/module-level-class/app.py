"""Products API with a two-level read-through cache: a module-level app, routes on the app, and
one TwoLevelCache object that owns both levels."""
import json
import logging
import os
import threading
import time

from flask import Flask, current_app, jsonify, request
from redis.exceptions import RedisError

from redis_conn import get_redis
from store import ProductStore

log = logging.getLogger(__name__)

app = Flask(__name__)
app.config.from_mapping(
    REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    L1_MAX_ITEMS=100,
    L1_TTL=5,
    L2_TTL=60,
    STORE_DELAY=0.2,
)


class TwoLevelCache:
    """L1: a plain dict kept in recency order (a hit re-inserts its key at the end; the first key
    is the least recently used). L2: Redis with SETEX."""

    def __init__(self, max_items, l1_ttl, l2_ttl):
        self.max_items, self.l1_ttl, self.l2_ttl = max_items, l1_ttl, l2_ttl
        self.l1 = {}
        self.lock = threading.Lock()

    def _l1_get(self, key):
        with self.lock:
            entry = self.l1.pop(key, None)
            if entry is None or entry[1] <= time.monotonic():
                return None
            self.l1[key] = entry  # re-inserted: now the most recently used
            return entry[0]

    def _l1_put(self, key, text):
        with self.lock:
            self.l1.pop(key, None)
            self.l1[key] = (text, time.monotonic() + self.l1_ttl)
            while len(self.l1) > self.max_items:
                del self.l1[next(iter(self.l1))]

    def fetch(self, key, load):
        """(value, "L1" | "L2" | "MISS"); `load()` gives the value from the source, or None."""
        text = self._l1_get(key)
        if text is not None:
            return json.loads(text), "L1"
        try:
            text = get_redis().get(key)
            redis_up = True
        except RedisError as e:
            log.warning("Redis down, skipping L2 for %s: %s", key, e)
            text, redis_up = None, False
        if text is not None:
            self._l1_put(key, text)
            return json.loads(text), "L2"
        value = load()
        if value is None:
            return None, "MISS"
        text = json.dumps(value)
        if redis_up:
            try:
                get_redis().setex(key, self.l2_ttl, text)
            except RedisError as e:
                log.warning("Redis down, %s not written to L2: %s", key, e)
        self._l1_put(key, text)
        return value, "MISS"

    def forget(self, key):
        with self.lock:
            self.l1.pop(key, None)
        try:
            get_redis().delete(key)
        except RedisError as e:
            log.error("Redis down, %s may stay stale in L2: %s", key, e)


app.extensions["store"] = ProductStore()


def store():
    s = app.extensions["store"]
    s.delay = app.config["STORE_DELAY"]  # read per request: the configuration may change after import
    return s


def products_cache():
    # made on first use: the configuration may change between import and the first request
    if "products_cache" not in app.extensions:
        c = current_app.config
        app.extensions["products_cache"] = TwoLevelCache(c["L1_MAX_ITEMS"], c["L1_TTL"], c["L2_TTL"])
    return app.extensions["products_cache"]


@app.get("/api/products/<int:product_id>")
def get_product(product_id):
    product, source = products_cache().fetch(f"product:{product_id}", lambda: store().get(product_id))
    if product is None:
        return jsonify(error="product not found"), 404
    return jsonify(product), 200, {"X-Cache": source}


@app.put("/api/products/<int:product_id>")
def update_product(product_id):
    fields = request.get_json(silent=True)
    if not isinstance(fields, dict) or not fields or set(fields) - {"name", "price_cents"}:
        return jsonify(error="send a JSON object with name and/or price_cents only"), 400
    if "name" in fields and (not isinstance(fields["name"], str) or not fields["name"].strip()):
        return jsonify(error="name must be a non-empty string"), 400
    price = fields.get("price_cents", 0)
    if isinstance(price, bool) or not isinstance(price, int) or price < 0:
        return jsonify(error="price_cents must be an integer >= 0"), 400
    product = store().update(product_id, fields)
    if product is None:
        return jsonify(error="product not found"), 404
    products_cache().forget(f"product:{product_id}")
    return jsonify(product)
