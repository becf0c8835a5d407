"""A two-level read-through cache: L1 in this process (LRU + TTL), L2 in Redis (TTL)."""
import json
import logging
import threading
import time
from collections import OrderedDict

from flask import current_app
from redis.exceptions import RedisError

from redis_conn import get_redis

log = logging.getLogger(__name__)


class LRUCache:
    """At most `max_items` entries; each lives `ttl` seconds; the least recently used goes first.
    Values are JSON text, so a caller can never change a cached product by mutating its dict."""

    def __init__(self, max_items, ttl):
        self.max_items = max_items
        self.ttl = ttl
        self._data = OrderedDict()  # key -> (text, expires_at)
        self._lock = threading.Lock()  # one app serves several threads

    def get(self, key):
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                return None
            text, expires_at = entry
            if expires_at <= time.monotonic():
                del self._data[key]
                return None
            self._data.move_to_end(key)  # most recently used
            return text

    def set(self, key, text):
        with self._lock:
            self._data[key] = (text, time.monotonic() + self.ttl)
            self._data.move_to_end(key)
            while len(self._data) > self.max_items:
                self._data.popitem(last=False)  # least recently used

    def delete(self, key):
        with self._lock:
            self._data.pop(key, None)


def init_app(app):
    app.extensions["l1_cache"] = LRUCache(app.config["L1_MAX_ITEMS"], app.config["L1_TTL"])


def product_key(product_id):
    return f"product:{product_id}"


def get_product(product_id):
    """(product, source): source is "L1", "L2" or "MISS"; product is None when unknown."""
    key = product_key(product_id)
    l1 = current_app.extensions["l1_cache"]
    text = l1.get(key)
    if text is not None:
        return json.loads(text), "L1"
    redis_ok = True
    try:
        text = get_redis().get(key)
    except RedisError as e:  # the cache is an optimisation: never fail a read because of it
        log.warning("Redis unavailable, reading %s from the store: %s", key, e)
        text, redis_ok = None, False
    if text is not None:
        l1.set(key, text)  # promote to L1
        return json.loads(text), "L2"
    product = current_app.extensions["store"].get(product_id)
    if product is None:
        return None, "MISS"  # unknown ids are not cached
    text = json.dumps(product)
    if redis_ok:
        try:
            get_redis().set(key, text, ex=current_app.config["L1_TTL"])
        except RedisError as e:
            log.warning("Redis unavailable, %s not cached in L2: %s", key, e)
    l1.set(key, text)
    return product, "MISS"


def invalidate_product(product_id):
    key = product_key(product_id)
    current_app.extensions["l1_cache"].delete(key)
    try:
        get_redis().delete(key)
    except RedisError as e:
        log.error("Redis unavailable, %s may stay stale in L2 for up to L2_TTL: %s", key, e)
