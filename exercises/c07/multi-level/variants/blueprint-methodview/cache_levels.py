"""L1 (per process) and L2 (Redis) as two small objects; `read_through` chains them."""
import json
import logging
import threading
import time
from collections import OrderedDict

from redis.exceptions import RedisError

log = logging.getLogger(__name__)


class L1Cache:
    def __init__(self, max_items, ttl):
        self.max_items, self.ttl = max_items, ttl
        self.entries = OrderedDict()
        self.lock = threading.RLock()

    def get(self, key):
        with self.lock:
            if key not in self.entries:
                return None
            expires_at, text = self.entries[key]
            if time.monotonic() >= expires_at:
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return text

    def put(self, key, text):
        with self.lock:
            self.entries[key] = (time.monotonic() + self.ttl, text)
            self.entries.move_to_end(key)
            if len(self.entries) > self.max_items:
                self.entries.popitem(last=False)

    def drop(self, key):
        with self.lock:
            self.entries.pop(key, None)


class L2Cache:
    """Redis, where every failure reads as "not cached"."""

    def __init__(self, client, ttl):
        self.client, self.ttl = client, ttl
        self.up = True

    def get(self, key):
        try:
            return self.client.get(key)
        except RedisError as e:
            self.up = False
            log.warning("L2 read failed for %s: %s", key, e)
            return None

    def put(self, key, text):
        if not self.up:
            return
        try:
            self.client.set(key, text, ex=self.ttl)
        except RedisError as e:
            log.warning("L2 write failed for %s: %s", key, e)

    def drop(self, key):
        try:
            self.client.delete(key)
        except RedisError as e:
            log.error("L2 delete failed for %s (stale until it expires): %s", key, e)


def read_through(l1, l2, key, load):
    text = l1.get(key)
    if text is not None:
        return json.loads(text), "L1"
    text = l2.get(key)
    if text is not None:
        l1.put(key, text)
        return json.loads(text), "L2"
    value = load()
    if value is None:
        return None, "MISS"
    text = json.dumps(value)
    l2.put(key, text)
    l1.put(key, text)
    return value, "MISS"
