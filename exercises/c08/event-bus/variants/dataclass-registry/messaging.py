import dataclasses
import json
import uuid
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Optional

from flask import current_app

from broker import get_broker


@dataclasses.dataclass(frozen=True)
class Envelope:
    type: str
    data: Dict[str, Any]
    id: str = dataclasses.field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: str = dataclasses.field(default_factory=lambda: datetime.now(timezone.utc).isoformat())
    version: int = 1

    def to_dict(self):
        return dataclasses.asdict(self)

    def to_json(self):
        return json.dumps(self.to_dict())

    @classmethod
    def from_body(cls, body: bytes) -> Optional["Envelope"]:
        try:
            raw = json.loads(body)
            if not isinstance(raw, dict) or not isinstance(raw["id"], str) or not raw["id"]:
                return None
            if not isinstance(raw["type"], str) or not isinstance(raw["data"], dict):
                return None
            return cls(type=raw["type"], data=raw["data"], id=raw["id"],
                       occurred_at=raw.get("occurred_at", ""), version=raw.get("version", 1))
        except (ValueError, KeyError, TypeError):
            return None


@dataclasses.dataclass
class Subscriber:
    name: str
    pattern: str
    handler: Callable[[Envelope], None]


REGISTRY: Dict[str, Subscriber] = {}


def subscriber(name, pattern):
    def register(handler):
        REGISTRY[name] = Subscriber(name, pattern, handler)
        return handler

    return register


def _inbox(name):
    """What a subscriber handled (event id -> envelope dict), per app."""
    return current_app.extensions.setdefault("inboxes", {}).setdefault(name, {})


@subscriber("billing", "order.*")
def bill(envelope):
    _inbox("billing")[envelope.id] = envelope.to_dict()


@subscriber("audit", "#")
def audit(envelope):
    _inbox("audit")[envelope.id] = envelope.to_dict()


def handled(name):
    return list(_inbox(name).values())


def _n(suffix):
    return current_app.config["AMQP_PREFIX"] + suffix


def _declared_broker():
    broker = get_broker()
    done = current_app.extensions.setdefault("declared_on", [])
    if not any(b is broker for b in done):
        broker.declare_exchange(_n("events"), kind="topic", durable=True)
        broker.declare_exchange(_n("dead"), kind="fanout", durable=True)
        broker.declare_queue(_n("dead-letters"), durable=True)
        broker.bind_queue(_n("dead-letters"), _n("dead"), "")
        for sub in REGISTRY.values():
            broker.declare_queue(_n(sub.name), durable=True, dead_letter_exchange=_n("dead"))
            broker.bind_queue(_n(sub.name), _n("events"), sub.pattern)
        done.append(broker)
    return broker


def emit(event_type, data):
    envelope = Envelope(type=event_type, data=data)
    _declared_broker().publish(_n("events"), envelope.type, envelope.to_json(), message_id=envelope.id)
    return envelope


def _failures(name):
    """Failed handler runs per event id for a subscriber, per app."""
    return current_app.extensions.setdefault("failures", {}).setdefault(name, {})


def _run_handler(sub, envelope):
    """The configured hook (EVENT_HANDLER, may raise) then the subscriber's own handler."""
    hook = current_app.config.get("EVENT_HANDLER")
    if hook is not None:
        hook(sub.name, envelope.to_dict())
    sub.handler(envelope)


def drain(name):
    broker, sub = _declared_broker(), REGISTRY[name]
    limit = current_app.config.get("HANDLER_MAX_ATTEMPTS", 3)
    result = {"subscriber": name, "handled": 0, "duplicates": 0, "rejected": 0, "failed": 0}
    message = broker.get(_n(name))
    while message is not None:
        envelope = Envelope.from_body(message.body)
        if envelope is None:
            broker.nack(message, requeue=False)
            result["rejected"] += 1
        elif envelope.id in _inbox(name):
            broker.ack(message)
            result["duplicates"] += 1
        else:
            try:
                _run_handler(sub, envelope)
            except Exception as error:
                result["failed"] += 1
                attempts = _failures(name)[envelope.id] = _failures(name).get(envelope.id, 0) + 1
                current_app.logger.warning("%s failed on %s (attempt %d): %r", name, envelope.id, attempts, error)
                if attempts < limit:
                    broker.nack(message, requeue=True)
                    return result
                del _failures(name)[envelope.id]
                broker.nack(message, requeue=False)
            else:
                _failures(name).pop(envelope.id, None)
                broker.ack(message)
                result["handled"] += 1
        message = broker.get(_n(name))
    return result
