"""c08 demo: an event-driven order service, every pattern of the chapter in one Flask-RESTX app.

- Events: POST /api/events takes {"type", "data"}, wraps it in the chapter's envelope (id, type, occurred_at,
  version, data), appends it to the event store (its position: sequence) and publishes it on the topic
  exchange c08demo.events with the type as routing key: RabbitMQ when AMQP_URL answers, else an in-memory bus
  with the same routing rules. The app says which at start and in GET /api/bus.
- Event store and replay: the store is append-only; GET /api/events?after=N reads it from a position. A
  projection (orders per status, revenue, events per type) is updated by every new event, and
  POST /api/projections/rebuild throws it away and rebuilds it by replaying the store, with the same result.
- Saga: POST /api/orders runs an orchestrated saga (reserve stock, charge payment, schedule shipping); when a
  step fails (not enough stock, or "fail_step" in the body) the completed steps are compensated in reverse
  order (refund, then release). Every step emits its event. GET /api/sagas/<id> shows each step.
- Webhooks: POST /api/webhooks registers a URL and a secret; every event is POSTed to every webhook by a
  background pool, signed (X-Timestamp, X-Signature: sha256=HMAC(secret, "<ts>." + body)), with
  Idempotency-Key = the event id, retried with backoff on 5xx, 429 and network errors, every attempt logged.
  /api/webhook-receiver is a receiver inside the demo that checks signatures (secret RECEIVER_SECRET).
- Server-Sent Events: GET /api/stream sends every new event (id: sequence, event: type, data: envelope),
  resumes after Last-Event-ID (or ?after=N), and sends a heartbeat comment when idle; ?limit=N and
  ?max_seconds=S end the stream (for curl, Postman and Locust).

Run:  flask --app app run --port 5001   then open http://127.0.0.1:5001/swagger
"""
import hashlib
import hmac
import json
import logging
import os
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import click
from flask import Flask, Response, current_app, request, stream_with_context
from flask_restx import Api, Namespace, Resource, abort, fields

log = logging.getLogger("c08demo")
TYPE_RE = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")

# ---------------------------------------------------------------- the bus: RabbitMQ, or in memory


def topic_matches(pattern, key):
    """AMQP topic matching: words split by dots, * is exactly one word, # zero or more."""
    def match(p, k):
        if not p:
            return not k
        if p[0] == "#":
            return any(match(p[1:], k[i:]) for i in range(len(k) + 1))
        return bool(k) and p[0] in ("*", k[0]) and match(p[1:], k[1:])
    return match(pattern.split("."), key.split("."))


class MemoryBus:
    """The in-process stand-in: a topic exchange with bound queues (the newest 1000 messages each)."""

    name = "memory"

    def __init__(self, exchange):
        self.exchange = exchange
        self._bindings = []  # (pattern, queue)
        self._queues = {}
        self._lock = threading.Lock()

    def bind(self, queue, pattern):
        with self._lock:
            self._queues.setdefault(queue, deque(maxlen=1000))
            self._bindings.append((pattern, queue))

    def publish(self, routing_key, body, message_id):
        with self._lock:
            for pattern, queue in self._bindings:
                if topic_matches(pattern, routing_key):
                    self._queues[queue].append(body)

    def depth(self, queue):
        with self._lock:
            return len(self._queues.get(queue, ()))


class RabbitBus:
    """pika's BlockingConnection is not thread-safe: one connection behind a lock, reopened after an error."""

    name = "rabbitmq"

    def __init__(self, url, exchange):
        import pika

        self.pika, self.url, self.exchange = pika, url, exchange
        self._lock = threading.Lock()
        self._conn = self._channel = None
        self._bound = []
        self._open()

    def _params(self):
        params = self.pika.URLParameters(self.url)
        params.socket_timeout = 1
        params.stack_timeout = 2
        params.blocked_connection_timeout = 2
        params.connection_attempts = 1
        params.retry_delay = 0
        return params

    def _open(self):
        self._conn = self.pika.BlockingConnection(self._params())
        self._channel = self._conn.channel()
        self._channel.exchange_declare(self.exchange, exchange_type="topic", durable=True)
        for queue, pattern in self._bound:
            self._declare(queue, pattern)

    def _declare(self, queue, pattern):
        self._channel.queue_declare(queue, durable=True, arguments={"x-max-length": 1000})
        self._channel.queue_bind(queue, self.exchange, routing_key=pattern)

    def _do(self, action):
        with self._lock:
            for attempt in (1, 2):
                try:
                    if self._conn is None or self._conn.is_closed:
                        self._open()
                    return action()
                except Exception:
                    self._conn = None
                    if attempt == 2:
                        raise

    def bind(self, queue, pattern):
        self._bound.append((queue, pattern))
        self._do(lambda: self._declare(queue, pattern))

    def publish(self, routing_key, body, message_id):
        props = self.pika.BasicProperties(content_type="application/json", delivery_mode=2, message_id=message_id)
        self._do(lambda: self._channel.basic_publish(self.exchange, routing_key, body, properties=props))

    def depth(self, queue):
        return self._do(lambda: self._channel.queue_declare(queue, passive=True).method.message_count)


def connect_bus(url, exchange, backend):
    if backend != "memory":
        try:
            return RabbitBus(url, exchange), f"RabbitMQ at {redact(url)} (exchange {exchange})"
        except Exception as exc:  # noqa: BLE001 - any failure to connect means: use the stand-in
            reason = f"RabbitMQ at {redact(url)} did not answer ({type(exc).__name__})"
            return MemoryBus(exchange), f"the in-memory bus, in this process: {reason}"
    return MemoryBus(exchange), "the in-memory bus, in this process (BUS_BACKEND=memory)"


def redact(url):
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


# ---------------------------------------------------------------- the event store and the projection


class EventStore:
    """Append-only, in memory; every event gets the next sequence number. Readers wait on a condition."""

    def __init__(self):
        self._events = []
        self._changed = threading.Condition()

    def append(self, envelope):
        with self._changed:
            stored = dict(envelope, sequence=len(self._events) + 1)
            self._events.append(stored)
            self._changed.notify_all()
            return stored

    def read(self, after=0, type_=None, limit=None):
        with self._changed:
            found = [e for e in self._events[after:] if type_ in (None, e["type"])]
        return found[:limit] if limit else found

    def wait(self, after, timeout):
        """Blocks until an event after `after` exists or `timeout` passes."""
        with self._changed:
            self._changed.wait_for(lambda: len(self._events) > after, timeout)

    def __len__(self):
        return len(self._events)


def empty_projection():
    return {"last_sequence": 0, "events_by_type": {}, "orders": {}, "revenue_cents": 0}


def apply(projection, event):
    """The read model: orders by status, revenue and events per type. A pure function of the events."""
    counts = Counter(projection["events_by_type"])
    counts[event["type"]] += 1
    projection["events_by_type"] = dict(sorted(counts.items()))
    data = event["data"]
    statuses = {"order.created": "created", "order.completed": "completed", "order.cancelled": "cancelled"}
    if event["type"] in statuses and "order_id" in data:
        projection["orders"][str(data["order_id"])] = statuses[event["type"]]
    if event["type"] == "payment.charged":
        projection["revenue_cents"] += int(data.get("amount_cents", 0))
    if event["type"] == "payment.refunded":
        projection["revenue_cents"] -= int(data.get("amount_cents", 0))
    projection["last_sequence"] = event["sequence"]
    return projection


def summary(projection):
    by_status = Counter(projection["orders"].values())
    return {"last_sequence": projection["last_sequence"], "events_by_type": projection["events_by_type"],
            "orders_by_status": dict(sorted(by_status.items())), "revenue_cents": projection["revenue_cents"]}


# ---------------------------------------------------------------- publishing: store, bus, projection, webhooks


def state():
    return current_app.extensions["c08_demo"]


def emit(type_, data):
    """Appends an event, publishes it, updates the projection and queues its webhook deliveries."""
    s = state()
    envelope = {"id": str(uuid.uuid4()), "type": type_, "occurred_at": datetime.now(timezone.utc).isoformat(),
                "version": 1, "data": data}
    stored = s["store"].append(envelope)
    body = json.dumps(envelope, separators=(",", ":"))
    try:
        s["bus"].publish(type_, body.encode(), envelope["id"])
        published = s["bus"].name
    except Exception as exc:  # noqa: BLE001 - the store has it; a relay could publish it later
        log.warning("publishing %s failed: %s", envelope["id"], exc)
        published = None
    with s["lock"]:
        apply(s["projection"], stored)
        hooks = list(s["webhooks"].values())
    for hook in hooks:
        s["pool"].submit(deliver, current_app._get_current_object(), hook, stored)
    return dict(stored, published_to=published)


def sign(secret, timestamp, body):
    return "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def deliver(app, hook, event):
    """Runs in the pool: up to WEBHOOK_ATTEMPTS attempts, 0.5 s, 1 s, 2 s... apart; each one logged."""
    body = json.dumps({k: event[k] for k in ("id", "type", "occurred_at", "version", "data")}).encode()
    attempts = app.config["WEBHOOK_ATTEMPTS"]
    for attempt in range(1, attempts + 1):
        timestamp = str(int(time.time()))
        req = urllib.request.Request(hook["url"], data=body, method="POST", headers={
            "Content-Type": "application/json", "X-Timestamp": timestamp,
            "X-Signature": sign(hook["secret"], timestamp, body), "Idempotency-Key": event["id"]})
        status, error = None, None
        try:
            with urllib.request.urlopen(req, timeout=app.config["WEBHOOK_TIMEOUT"]) as answer:
                status = answer.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except (OSError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        delivered = status is not None and 200 <= status < 300
        with app.extensions["c08_demo"]["lock"]:
            hook["deliveries"].append({"event_id": event["id"], "attempt": attempt, "status_code": status,
                                       "error": error, "delivered": delivered})
        retry = status is None or status >= 500 or status == 429
        if delivered or not retry or attempt == attempts:
            return
        time.sleep(app.config["WEBHOOK_BACKOFF"] * 2 ** (attempt - 1))


# ---------------------------------------------------------------- the saga: three in-process services

STEPS = [("reserve_stock", "release_stock"), ("charge_payment", "refund_payment"), ("schedule_shipping", None)]


class StepFailed(Exception):
    pass


def run_saga(order, fail_step):
    s = state()
    saga = {"id": str(uuid.uuid4()), "status": "running", "order": order, "error": None,
            "steps": [{"name": n, "status": "pending", "compensation": c} for n, c in STEPS]}
    with s["lock"]:
        s["sagas"][saga["id"]] = saga
    emit("order.created", {"order_id": saga["id"], **order})

    def reserve_stock():
        with s["lock"]:
            left = s["stock"].get(order["sku"], 0)
            if left < order["quantity"]:
                raise StepFailed(f"not enough stock for {order['sku']}: {left} left, {order['quantity']} wanted")
            s["stock"][order["sku"]] = left - order["quantity"]
        emit("stock.reserved", {"order_id": saga["id"], "sku": order["sku"], "quantity": order["quantity"]})

    def release_stock():
        with s["lock"]:
            s["stock"][order["sku"]] += order["quantity"]
        emit("stock.released", {"order_id": saga["id"], "sku": order["sku"], "quantity": order["quantity"]})

    def charge_payment():
        emit("payment.charged", {"order_id": saga["id"], "amount_cents": order["amount_cents"]})

    def refund_payment():
        emit("payment.refunded", {"order_id": saga["id"], "amount_cents": order["amount_cents"]})

    def schedule_shipping():
        emit("shipping.scheduled", {"order_id": saga["id"], "sku": order["sku"]})

    actions = {f.__name__: f for f in (reserve_stock, release_stock, charge_payment, refund_payment, schedule_shipping)}
    done = []
    for step in saga["steps"]:
        try:
            if step["name"] == fail_step:
                raise StepFailed(f"{fail_step} failed (fail_step in the request)")
            actions[step["name"]]()
        except StepFailed as exc:
            step["status"], saga["status"], saga["error"] = "failed", "compensating", str(exc)
            for completed in reversed(done):  # last completed first
                if completed["compensation"]:
                    actions[completed["compensation"]]()
                completed["status"] = "compensated"
            saga["status"] = "compensated"
            emit("order.cancelled", {"order_id": saga["id"], "reason": str(exc)})
            return saga
        step["status"] = "done"
        done.append(step)
    saga["status"] = "completed"
    emit("order.completed", {"order_id": saga["id"]})
    return saga


# ---------------------------------------------------------------- the API

events_ns = Namespace("events", description="Publish events (stored, then sent to the bus) and read the store")
projections_ns = Namespace("projections", description="A read model kept by the events; rebuild it by replay")
orders_ns = Namespace("orders", description="Orders run as a saga with compensation")
sagas_ns = Namespace("sagas", description="Where each saga stands")
webhooks_ns = Namespace("webhooks", description="Signed webhook deliveries with retries")
receiver_ns = Namespace("webhook-receiver", description="A webhook receiver inside the demo: checks the signature")
stream_ns = Namespace("stream", description="Server-Sent Events of every new event")
bus_ns = Namespace("bus", description="Which bus the demo uses")

event_in = events_ns.model("EventIn", {
    "type": fields.String(required=True, example="order.created", description="dotted words: order.created"),
    "data": fields.Raw(example={"order_id": 7}, description="a JSON object"),
})
order_in = orders_ns.model("OrderIn", {
    "sku": fields.String(required=True, example="KB-1"),
    "quantity": fields.Integer(required=True, example=1, min=1),
    "amount_cents": fields.Integer(required=True, example=8900, min=1),
    "fail_step": fields.String(example="", description="make a step fail: reserve_stock, charge_payment or schedule_shipping"),
})
webhook_in = webhooks_ns.model("WebhookIn", {
    "url": fields.String(required=True, example="http://127.0.0.1:5001/api/webhook-receiver"),
    "secret": fields.String(required=True, example="c08-demo-receiver-secret", description="16 characters or more"),
})


def json_body():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, "send a JSON object")
    return body


@events_ns.route("")
class Events(Resource):
    @events_ns.expect(event_in)
    @events_ns.response(202, "Stored and published")
    @events_ns.response(400, "Not an event")
    def post(self):
        """Publish an event: stored with the next sequence, then published with its type as routing key"""
        body = json_body()
        type_, data = body.get("type"), body.get("data", {})
        if not isinstance(type_, str) or not TYPE_RE.match(type_):
            abort(400, "type must be two or more dotted lower-case words, such as order.created")
        if not isinstance(data, dict):
            abort(400, "data must be a JSON object")
        return emit(type_, data), 202

    @events_ns.param("after", "only events after this sequence", type=int, default=0)
    @events_ns.param("type", "only this type")
    @events_ns.param("limit", "at most this many", type=int, default=100)
    def get(self):
        """Read the event store from a position"""
        after = request.args.get("after", 0, type=int)
        limit = min(max(request.args.get("limit", 100, type=int), 1), 1000)
        found = state()["store"].read(max(after, 0), request.args.get("type") or None, limit)
        return {"events": found, "count": len(found), "total": len(state()["store"])}


@projections_ns.route("")
class Projection(Resource):
    def get(self):
        """The read model as the events left it"""
        with state()["lock"]:
            return summary(state()["projection"])


@projections_ns.route("/rebuild")
class Rebuild(Resource):
    def post(self):
        """Throw the read model away and replay every stored event into a new one"""
        s = state()
        fresh, replayed = empty_projection(), 0
        for event in s["store"].read(0):
            apply(fresh, event)
            replayed += 1
        with s["lock"]:
            # events appended while we replayed: apply them too, then swap
            for event in s["store"].read(fresh["last_sequence"]):
                apply(fresh, event)
                replayed += 1
            same = summary(fresh) == summary(s["projection"])
            s["projection"] = fresh
        return {"replayed": replayed, "same_as_before": same, "projection": summary(fresh)}


@orders_ns.route("")
class Orders(Resource):
    @orders_ns.expect(order_in)
    @orders_ns.response(201, "The saga completed")
    @orders_ns.response(422, "A step failed; the completed ones were compensated")
    def post(self):
        """Order through the saga: reserve stock, charge payment, schedule shipping"""
        body = json_body()
        sku = body.get("sku")
        if not isinstance(sku, str) or not sku.strip():
            abort(400, "sku must be a non-blank string")
        for key in ("quantity", "amount_cents"):
            if type(body.get(key)) is not int or body[key] < 1:
                abort(400, f"{key} must be a whole number of 1 or more")
        fail_step = body.get("fail_step") or None
        if fail_step not in (None, *[n for n, _ in STEPS]):
            abort(400, "fail_step must be reserve_stock, charge_payment or schedule_shipping")
        order = {"sku": sku.strip(), "quantity": body["quantity"], "amount_cents": body["amount_cents"]}
        saga = run_saga(order, fail_step)
        return saga, (201 if saga["status"] == "completed" else 422), {"Location": f"/api/sagas/{saga['id']}"}


@sagas_ns.route("/<saga_id>")
class Saga(Resource):
    def get(self, saga_id):
        """A saga's steps and status"""
        saga = state()["sagas"].get(saga_id)
        if saga is None:
            abort(404, "no such saga")
        return saga


@webhooks_ns.route("")
class Webhooks(Resource):
    @webhooks_ns.expect(webhook_in)
    @webhooks_ns.response(201, "Registered")
    def post(self):
        """Register a webhook: every new event is POSTed to it, signed with the secret"""
        body = json_body()
        url, secret = body.get("url"), body.get("secret")
        if not isinstance(url, str) or not re.match(r"^https?://[^/\s]+", url):
            abort(400, "url must be an http:// or https:// URL")
        if not isinstance(secret, str) or len(secret) < 16:
            abort(400, "secret must be a string of 16 characters or more")
        s = state()
        with s["lock"]:
            hook = {"id": len(s["webhooks"]) + 1, "url": url, "secret": secret, "deliveries": []}
            s["webhooks"][hook["id"]] = hook
        return {"id": hook["id"], "url": url}, 201

    def get(self):
        """The webhooks (never their secrets)"""
        with state()["lock"]:
            return {"webhooks": [{"id": h["id"], "url": h["url"]} for h in state()["webhooks"].values()]}


@webhooks_ns.route("/<int:hook_id>/deliveries")
class Deliveries(Resource):
    def get(self, hook_id):
        """Every delivery attempt of a webhook, oldest first (the last 200)"""
        hook = state()["webhooks"].get(hook_id)
        if hook is None:
            abort(404, "no such webhook")
        with state()["lock"]:
            return {"deliveries": hook["deliveries"][-200:]}


@receiver_ns.route("")
class Receiver(Resource):
    def post(self):
        """Receive a delivery: 401 unless the signature matches RECEIVER_SECRET and the timestamp is fresh"""
        body, timestamp = request.get_data(), request.headers.get("X-Timestamp", "")
        expected = sign(current_app.config["RECEIVER_SECRET"], timestamp, body)
        if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):
            abort(401, "bad signature")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            abort(401, "timestamp too old or missing")
        s, key = state(), request.headers.get("Idempotency-Key", "")
        with s["lock"]:
            if key not in s["received_keys"]:  # a retry of something we already have: accept, do nothing
                s["received_keys"].add(key)
                s["received"].append(json.loads(body))
        return "", 204

    def get(self):
        """What the receiver accepted (each event once, the last 100)"""
        with state()["lock"]:
            return {"received": list(state()["received"])}


@stream_ns.route("")
class Stream(Resource):
    @stream_ns.produces(["text/event-stream"])
    @stream_ns.param("after", "start after this sequence (like Last-Event-ID); default: only new events", type=int)
    @stream_ns.param("limit", "end the stream after this many events", type=int)
    @stream_ns.param("max_seconds", "end the stream after this many seconds", type=float)
    def get(self):
        """Server-Sent Events: id = sequence, event = type, data = the envelope; a heartbeat when idle"""
        store = state()["store"]
        last_id = request.headers.get("Last-Event-ID", "")
        after = request.args.get("after", type=int)
        if last_id.isdigit():
            after = int(last_id)
        if after is None:
            after = len(store)  # only what happens from now on
        limit = request.args.get("limit", type=int)
        max_seconds = request.args.get("max_seconds", type=float)
        heartbeat = current_app.config["SSE_HEARTBEAT_SECONDS"]

        @stream_with_context
        def generate():
            nonlocal after
            sent, started = 0, time.monotonic()
            yield "retry: 3000\n\n"
            while True:
                for event in store.read(after):
                    after = event["sequence"]
                    yield f"id: {after}\nevent: {event['type']}\ndata: {json.dumps(event, separators=(',', ':'))}\n\n"
                    sent += 1
                    if limit and sent >= limit:
                        return
                if max_seconds is not None and time.monotonic() - started >= max_seconds:
                    return
                wait = heartbeat if max_seconds is None else min(heartbeat, max(0.05, max_seconds - (time.monotonic() - started)))
                store.wait(after, wait)
                if len(store) <= after:
                    yield ": heartbeat\n\n"

        return Response(generate(), mimetype="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@bus_ns.route("")
class Bus(Resource):
    def get(self):
        """The bus in use, and how many messages wait in the demo's audit queue (bound with #)"""
        s = state()
        try:
            depth = s["bus"].depth(s["audit_queue"])
        except Exception as exc:  # noqa: BLE001
            depth = f"unknown ({type(exc).__name__})"
        return {"backend": s["bus"].name, "description": s["bus_description"], "exchange": s["bus"].exchange,
                "audit_queue": s["audit_queue"], "audit_queue_depth": depth, "events_stored": len(s["store"])}


def create_app():
    app = Flask(__name__)
    app.config.update(
        AMQP_URL=os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F"),
        BUS_BACKEND=os.environ.get("BUS_BACKEND", "auto"),  # "memory": never try RabbitMQ
        BUS_PREFIX=os.environ.get("BUS_PREFIX", "c08demo."),
        RECEIVER_SECRET=os.environ.get("RECEIVER_SECRET", "c08-demo-receiver-secret"),
        WEBHOOK_ATTEMPTS=int(os.environ.get("WEBHOOK_ATTEMPTS", "4")),
        WEBHOOK_BACKOFF=float(os.environ.get("WEBHOOK_BACKOFF", "0.5")),
        WEBHOOK_TIMEOUT=float(os.environ.get("WEBHOOK_TIMEOUT", "3")),
        SSE_HEARTBEAT_SECONDS=float(os.environ.get("SSE_HEARTBEAT_SECONDS", "15")),
        RESTX_MASK_SWAGGER=False,
        RESTX_ERROR_404_HELP=False,
    )
    prefix = app.config["BUS_PREFIX"]
    bus, description = connect_bus(app.config["AMQP_URL"], prefix + "events", app.config["BUS_BACKEND"])
    click.echo(f"c08 demo: events are published to {description}", err=True)
    bus.bind(prefix + "audit", "#")
    app.extensions["c08_demo"] = {
        "bus": bus, "bus_description": description, "audit_queue": prefix + "audit",
        "store": EventStore(), "projection": empty_projection(), "lock": threading.RLock(),
        "sagas": {}, "stock": {"KB-1": 1000, "MN-2": 50}, "webhooks": {},
        "pool": ThreadPoolExecutor(max_workers=4, thread_name_prefix="webhooks"),
        "received": deque(maxlen=100), "received_keys": set(),
    }
    api = Api(app, version="1.0", title="c08 demo: an event-driven order service", doc="/swagger",
              description="Post an event, run an order (add `\"fail_step\": \"schedule_shipping\"` to see the "
                          "compensation), rebuild the projection by replay, and watch `curl -N .../api/stream`.")
    for ns, path in ((events_ns, "/api/events"), (projections_ns, "/api/projections"), (orders_ns, "/api/orders"),
                     (sagas_ns, "/api/sagas"), (webhooks_ns, "/api/webhooks"), (receiver_ns, "/api/webhook-receiver"),
                     (stream_ns, "/api/stream"), (bus_ns, "/api/bus")):
        api.add_namespace(ns, path=path)
    return app


app = create_app()
