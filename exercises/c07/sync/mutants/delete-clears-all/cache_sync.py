"""Keeps the in-process caches (L1) of every instance coherent through Redis pub/sub.

Publishing: after a change, an instance publishes {"action": "delete", "key": ...} or
{"action": "clear"} with its INSTANCE_ID as "origin" on CACHE_CHANNEL.

Receiving: the instance's subscription is drained before each request, so every message that
reached it is applied before it answers (no thread to manage). Pub/sub is fire-and-forget: a
message sent while an instance is not subscribed is lost, so losing the subscription clears L1,
and L1_TTL bounds how stale an entry can get anyway."""
import json
import logging

from flask import current_app
from redis.exceptions import RedisError

from redis_conn import get_redis

log = logging.getLogger(__name__)


class CacheSync:
    def __init__(self, app=None):
        self.pubsub = None
        if app is not None:
            self.init_app(app)

    def init_app(self, app):
        app.extensions["cache_sync"] = self
        app.before_request(self.apply_pending)

    # -- sending ---------------------------------------------------------------------------
    def publish(self, action, key=None):
        """Tell the other instances; a Redis failure is logged, never raised (the change itself
        is done; the others' L1 entries still expire after L1_TTL)."""
        message = {"action": action, "origin": current_app.config["INSTANCE_ID"]}
        if key is not None:
            message["key"] = key
        try:
            get_redis().publish(current_app.config["CACHE_CHANNEL"], json.dumps(message))
        except RedisError as e:
            log.error("cache sync: could not publish %s: %s", message, e)

    # -- receiving -------------------------------------------------------------------------
    def apply_pending(self):
        l1 = current_app.extensions["l1"]
        try:
            if self.pubsub is None:
                pubsub = get_redis().pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(current_app.config["CACHE_CHANNEL"])
                self.pubsub = pubsub
            while True:
                message = self.pubsub.get_message(timeout=0.0)
                if message is None:
                    break
                self.apply(message.get("data"), l1)
        except RedisError as e:
            log.warning("cache sync: subscription lost (%s); clearing L1, messages may have been missed", e)
            self._drop_subscription()
            l1.clear()

    def apply(self, data, l1):
        try:
            message = json.loads(data)
        except (TypeError, ValueError):
            log.warning("cache sync: ignoring a message that is not JSON: %r", data)
            return
        if not isinstance(message, dict):
            log.warning("cache sync: ignoring %r", message)
            return
        if message.get("origin") == current_app.config["INSTANCE_ID"]:
            return  # our own change: our L1 is already up to date
        action = message.get("action")
        if action == "delete" and isinstance(message.get("key"), str):
            l1.clear()
        elif action == "clear":
            l1.clear()
        else:
            log.warning("cache sync: ignoring unknown message %r", message)

    def _drop_subscription(self):
        pubsub, self.pubsub = self.pubsub, None
        if pubsub is not None:
            try:
                pubsub.close()
            except Exception:
                pass
