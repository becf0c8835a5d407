"""Products API with an in-process cache kept in sync across instances through Redis pub/sub
(see README.md)."""
import json
import logging
import os
import threading
import time
import uuid

from flask import Flask, current_app, jsonify, request

from cache_sync import CacheSync
from store import ProductStore

log = logging.getLogger(__name__)


class L1Cache:
    """This process's cache: key -> JSON text, each entry valid for `ttl` seconds."""

    def __init__(self, ttl):
        self.ttl = ttl
        self._data = {}
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._data.get(key)
            if entry is None or entry[1] <= time.monotonic():
                self._data.pop(key, None)
                return None
            return entry[0]

    def set(self, key, text):
        with self._lock:
            self._data[key] = (text, time.monotonic() + self.ttl)

    def delete(self, key):
        with self._lock:
            self._data.pop(key, None)

    def clear(self):
        with self._lock:
            self._data.clear()


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        CACHE_CHANNEL="cache:invalidate",  # the pub/sub channel every instance listens to
        INSTANCE_ID=None,  # this instance's name in messages (None: a random one)
        L1_TTL=60,
        STORE_DELAY=0.2,
        PRODUCT_STORE=None,  # the checks give both instances one store, as two servers share a database
    )
    if test_config:
        app.config.update(test_config)
    app.config["INSTANCE_ID"] = app.config["INSTANCE_ID"] or uuid.uuid4().hex
    app.extensions["store"] = app.config["PRODUCT_STORE"] or ProductStore(delay=app.config["STORE_DELAY"])
    app.extensions["l1"] = L1Cache(app.config["L1_TTL"])

    sync = CacheSync(app)

    @app.get("/api/products/<int:product_id>")
    def get_product(product_id):
        key = f"product:{product_id}"
        l1 = current_app.extensions["l1"]
        text = l1.get(key)
        if text is not None:
            return current_app.response_class(text, mimetype="application/json", headers={"X-Cache": "L1"})
        product = current_app.extensions["store"].get(product_id)
        if product is None:
            return jsonify(error="product not found"), 404
        l1.set(key, json.dumps(product))
        return jsonify(product), 200, {"X-Cache": "MISS"}

    @app.put("/api/products/<int:product_id>")
    def update_product(product_id):
        fields = request.get_json(silent=True)
        if not isinstance(fields, dict) or not fields or set(fields) - {"name", "price_cents"}:
            return jsonify(error="send a JSON object with name and/or price_cents"), 400
        if "name" in fields and (not isinstance(fields["name"], str) or not fields["name"].strip()):
            return jsonify(error="name must be a non-empty string"), 400
        price = fields.get("price_cents", 0)
        if isinstance(price, bool) or not isinstance(price, int) or price < 0:
            return jsonify(error="price_cents must be an integer >= 0"), 400
        product = current_app.extensions["store"].update(product_id, fields)
        if product is None:
            return jsonify(error="product not found"), 404
        current_app.extensions["l1"].delete(f"product:{product_id}")
        sync.publish("delete", f"product:{product_id}")
        return jsonify(product)

    @app.post("/api/cache/clear")
    def clear_cache():
        current_app.extensions["l1"].clear()
        sync.publish("clear")
        return "", 204

    return app
