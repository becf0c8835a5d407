"""Domain events on a RabbitMQ topic exchange. TODO: everything below (see the brief).

- make_envelope(event_type, data): {"id", "type", "occurred_at", "version", "data"}
- ensure_topology(broker): the topic exchange AMQP_PREFIX + "events", the subscribers' durable
  queues bound with their patterns, the dead-letter exchange and queue
- publish(event_type, data): the envelope on the exchange, routing key = type
- consume(subscriber): get, handle once per event id, ack; nack(requeue=False) what is not an envelope
- handling = current_app.config["EVENT_HANDLER"](subscriber, envelope) when it is set (it may raise),
  then record the envelope; ack only after that returned. On an exception: nack(requeue=True) and
  stop the consume, or nack(requeue=False) at the HANDLER_MAX_ATTEMPTS-th failure of that event
"""

import json  # noqa: F401
import re
import uuid  # noqa: F401
from datetime import datetime, timezone  # noqa: F401

from flask import current_app  # noqa: F401

from broker import get_broker  # noqa: F401

EVENT_TYPE = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")

# subscriber name -> the routing-key pattern its queue is bound with
SUBSCRIBERS = {"billing": "order.*", "audit": "#"}


def publish(event_type, data):
    raise NotImplementedError("publish the event's envelope on the topic exchange")


def consume(subscriber):
    raise NotImplementedError("handle the messages waiting in the subscriber's queue")


def handled_events(subscriber):
    """The events a subscriber handled, by id, in the order it handled them."""
    return current_app.extensions.setdefault("handled_events", {}).setdefault(subscriber, {})
