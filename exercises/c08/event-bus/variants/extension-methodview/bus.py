import collections
import json
import re
import uuid
from datetime import datetime, timezone

from flask import current_app

from broker import get_broker


class EventBus:
    """Topic-exchange event bus: one durable queue per subscriber, bound by a pattern."""

    TYPE = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")

    def __init__(self, app=None, subscribers=None):
        self.subscribers = dict(subscribers or {})
        if app is not None:
            self.init_app(app)

    def init_app(self, app):
        app.config.setdefault("AMQP_PREFIX", "shop.")
        app.config.setdefault("EVENT_HANDLER", None)
        app.config.setdefault("HANDLER_MAX_ATTEMPTS", 3)
        app.extensions["event_bus"] = {"declared": set(), "handled": {name: {} for name in self.subscribers},
                                       "attempts": {name: collections.Counter() for name in self.subscribers}}

    @property
    def _state(self):
        return current_app.extensions["event_bus"]

    def _name(self, suffix):
        return current_app.config["AMQP_PREFIX"] + suffix

    def _broker(self):
        broker = get_broker()
        if id(broker) not in self._state["declared"]:
            exchange, dead = self._name("events"), self._name("dead")
            broker.declare_exchange(exchange, "topic", durable=True)
            broker.declare_exchange(dead, "fanout", durable=True)
            broker.declare_queue(self._name("dead-letters"), durable=True)
            broker.bind_queue(self._name("dead-letters"), dead, "")
            for name, pattern in self.subscribers.items():
                broker.declare_queue(self._name(name), durable=True, dead_letter_exchange=dead)
                broker.bind_queue(self._name(name), exchange, pattern)
            self._state["declared"].add(id(broker))
        return broker

    def publish(self, event_type, data):
        envelope = {"id": str(uuid.uuid4()), "type": event_type, "occurred_at": datetime.now(timezone.utc).isoformat(),
                    "version": 1, "data": data}
        self._broker().publish(self._name("events"), event_type, json.dumps(envelope), message_id=envelope["id"])
        return envelope

    @staticmethod
    def _envelope(body):
        try:
            value = json.loads(body)
        except ValueError:
            return None
        ok = (isinstance(value, dict) and isinstance(value.get("id"), str) and value["id"]
              and isinstance(value.get("type"), str) and isinstance(value.get("data"), dict))
        return value if ok else None

    def handled(self, name):
        return list(self._state["handled"][name].values())

    def _handle(self, name, envelope):
        """Runs the EVENT_HANDLER hook (it may raise), then records the event."""
        hook = current_app.config["EVENT_HANDLER"]
        if hook:
            hook(name, envelope)
        self._state["handled"][name][envelope["id"]] = envelope

    def consume(self, name):
        broker, seen = self._broker(), self._state["handled"][name]
        attempts = self._state["attempts"][name]
        result = {"subscriber": name, "handled": 0, "duplicates": 0, "rejected": 0, "failed": 0}
        while True:
            message = broker.get(self._name(name))
            if message is None:
                return result
            envelope = self._envelope(message.body)
            if envelope is None:
                broker.nack(message, requeue=False)
                result["rejected"] += 1
                continue
            if envelope["id"] in seen:
                result["duplicates"] += 1
                broker.ack(message)
                continue
            try:
                self._handle(name, envelope)
            except Exception:
                current_app.logger.exception("subscriber %s: handler failed", name)
                result["failed"] += 1
                attempts[envelope["id"]] += 1
                give_up = attempts[envelope["id"]] >= current_app.config["HANDLER_MAX_ATTEMPTS"]
                if give_up:
                    del attempts[envelope["id"]]
                broker.nack(message, requeue=not give_up)
                if give_up:
                    continue
                return result
            attempts.pop(envelope["id"], None)
            result["handled"] += 1
            broker.ack(message)


bus = EventBus(subscribers={"billing": "order.*", "audit": "#"})
