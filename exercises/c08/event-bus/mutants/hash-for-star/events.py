"""Domain events on a RabbitMQ topic exchange: the envelope, publishing, and pull consumers
whose handlers are idempotent by event id and ack only after the handler returned (at least once:
a handler that raises leaves its message to be redelivered, then dead-lettered)."""

import json
import re
import uuid
from datetime import datetime, timezone

from flask import current_app

from broker import get_broker

ENVELOPE_VERSION = 1
EVENT_TYPE = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")

# subscriber name -> the routing-key pattern its queue is bound with
SUBSCRIBERS = {"billing": "order.#", "audit": "#"}


def _prefix():
    return current_app.config["AMQP_PREFIX"]


def exchange_name():
    return _prefix() + "events"


def queue_name(subscriber):
    return _prefix() + subscriber


def dead_letter_names():
    return _prefix() + "dead", _prefix() + "dead-letters"


def ensure_topology(broker):
    """Declares the exchange, the dead-letter exchange and queue, and one durable queue per
    subscriber bound with its pattern (idempotent on the broker; done once per broker)."""
    declared = current_app.extensions.setdefault("event_bus_declared", set())
    if id(broker) in declared:
        return
    dead_exchange, dead_queue = dead_letter_names()
    broker.declare_exchange(exchange_name(), "topic", durable=True)
    broker.declare_exchange(dead_exchange, "fanout", durable=True)
    broker.declare_queue(dead_queue, durable=True)
    broker.bind_queue(dead_queue, dead_exchange, "")
    for subscriber, pattern in SUBSCRIBERS.items():
        broker.declare_queue(queue_name(subscriber), durable=True, dead_letter_exchange=dead_exchange)
        broker.bind_queue(queue_name(subscriber), exchange_name(), pattern)
    declared.add(id(broker))


def make_envelope(event_type, data):
    return {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "occurred_at": datetime.now(timezone.utc).isoformat(),
        "version": ENVELOPE_VERSION,
        "data": data,
    }


def publish(event_type, data):
    """Wraps the event in its envelope and publishes it (routing key = type); the envelope."""
    broker = get_broker()
    ensure_topology(broker)
    envelope = make_envelope(event_type, data)
    broker.publish(exchange_name(), event_type, json.dumps(envelope), message_id=envelope["id"],
                   content_type="application/json", persistent=True)
    return envelope


def parse_envelope(body):
    """The envelope in a message body, or None when it is not one."""
    try:
        envelope = json.loads(body)
    except ValueError:
        return None
    if not isinstance(envelope, dict):
        return None
    if not isinstance(envelope.get("id"), str) or not envelope["id"]:
        return None
    if not isinstance(envelope.get("type"), str) or not isinstance(envelope.get("data"), dict):
        return None
    return envelope


def handled_events(subscriber):
    """The events a subscriber handled, by id, in the order it handled them."""
    return current_app.extensions.setdefault("handled_events", {}).setdefault(subscriber, {})


def failures(subscriber):
    """How many times the subscriber's handler failed, by event id (forgotten once handled or dead-lettered)."""
    return current_app.extensions.setdefault("handler_failures", {}).setdefault(subscriber, {})


def handle(subscriber, envelope):
    """The subscriber's handler: the EVENT_HANDLER hook when set (it may raise), then the record."""
    hook = current_app.config.get("EVENT_HANDLER")
    if hook is not None:
        hook(subscriber, envelope)
    handled_events(subscriber)[envelope["id"]] = envelope


def consume(subscriber):
    """Handles the messages waiting in the subscriber's queue; the counts."""
    broker = get_broker()
    ensure_topology(broker)
    handled = handled_events(subscriber)
    failed = failures(subscriber)
    max_attempts = current_app.config.get("HANDLER_MAX_ATTEMPTS", 3)
    counts = {"subscriber": subscriber, "handled": 0, "duplicates": 0, "rejected": 0, "failed": 0}
    while (message := broker.get(queue_name(subscriber))) is not None:
        envelope = parse_envelope(message.body)
        if envelope is None:
            current_app.logger.warning("%s: rejected a message that is not an event envelope", subscriber)
            broker.nack(message, requeue=False)  # to the dead-letter queue, never redelivered
            counts["rejected"] += 1
            continue
        event_id = envelope["id"]
        if event_id in handled:
            broker.ack(message)  # delivered twice: handled already
            counts["duplicates"] += 1
            continue
        try:
            handle(subscriber, envelope)
        except Exception:
            counts["failed"] += 1
            failed[event_id] = failed.get(event_id, 0) + 1
            if failed[event_id] >= max_attempts:
                current_app.logger.exception("%s: event %s failed %d times, dead-lettered", subscriber, event_id, failed.pop(event_id))
                broker.nack(message, requeue=False)  # a poison message: to the dead letters
                continue
            current_app.logger.exception("%s: handling event %s failed, it will be redelivered", subscriber, event_id)
            broker.nack(message, requeue=True)  # back to its place in the queue: redelivered next time
            break
        failed.pop(event_id, None)
        broker.ack(message)  # only after the handler returned: a crash before this redelivers it
        counts["handled"] += 1
    return counts
