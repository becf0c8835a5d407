import json
import logging
import time

from flask import current_app
from redis.exceptions import RedisError

from redis_conn import get_redis

log = logging.getLogger(__name__)


class SyncedCache:
    """L1 entries (key -> (expires_at, text)) plus a pub/sub subscription whose channel handler
    applies the other instances' changes; pending messages are dispatched before each request."""

    def __init__(self, app):
        self.ttl = app.config["L1_TTL"]
        self.entries = {}
        self.pubsub = None
        app.extensions["l1"] = self
        app.before_request(self.receive)

    @staticmethod
    def current():
        return current_app.extensions["l1"]

    def get(self, key):
        entry = self.entries.get(key)
        if entry and entry[0] > time.monotonic():
            return entry[1]
        self.entries.pop(key, None)
        return None

    def set(self, key, text):
        self.entries[key] = (time.monotonic() + self.ttl, text)

    def delete(self, key, announce=False):
        self.entries.pop(key, None)
        if announce:
            self._send({"action": "delete", "key": key})

    def clear(self, announce=False):
        self.entries.clear()
        if announce:
            self._send({"action": "clear"})

    def _send(self, message):
        message["origin"] = current_app.config["INSTANCE_ID"]
        try:
            get_redis().publish(current_app.config["CACHE_CHANNEL"], json.dumps(message))
        except RedisError as e:
            log.error("not announced to the other instances: %s (%s)", message, e)

    def receive(self):
        me = current_app.config["INSTANCE_ID"]

        def handle(message):
            try:
                body = json.loads(message["data"])
                action, origin = body["action"], body.get("origin")
            except (ValueError, TypeError, KeyError):
                log.warning("ignored: %r", message["data"])
                return
            if origin == me:
                return
            if action == "clear":
                self.entries.clear()
            elif action == "delete" and isinstance(body.get("key"), str):
                self.entries.pop(body["key"], None)
            else:
                log.warning("ignored: %r", body)

        try:
            if self.pubsub is None:
                self.pubsub = get_redis().pubsub(ignore_subscribe_messages=True)
                self.pubsub.subscribe(**{current_app.config["CACHE_CHANNEL"]: handle})
            while self.pubsub.get_message(timeout=0.0) is not None:
                pass  # the handler ran
        except RedisError as e:
            log.warning("cache sync interrupted (%s): L1 cleared", e)
            self.pubsub = None
            self.entries.clear()
