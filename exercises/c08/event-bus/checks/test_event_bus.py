"""Checks for c08-event-bus: domain events in one envelope on a topic exchange, subscribers'
durable queues bound by patterns, pull consumers that ack after handling, idempotent by event id,
malformed messages dead-lettered, a broker that is down answered with 503, a handler that raises
(the EVENT_HANDLER hook) leaving its message to be redelivered, then dead-lettered.

The broker is the `amqp_service` fixture: a real RabbitMQ when FLASK_TUTOR_AMQP_URL answers,
else an in-memory broker with RabbitMQ's semantics (each check prints which). Each run has its
own AMQP_PREFIX, and what it declared is deleted afterwards. Each check names the brief's
numbered requirements it covers (@pytest.mark.req)."""
import json
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from flask_tutor_pytest.helpers import about, expect_json, expect_status

pytestmark = pytest.mark.usefixtures("amqp_service")

EVENTS = ("order.created", "order.paid", "user.signed_up", "order.item.added")


def _publish(client, event_type, data=None):
    body = {"type": event_type} if data is None else {"type": event_type, "data": data}
    response = client.post("/api/events", json=body)
    with about(hint="Answer the envelope with 202: `return jsonify(envelope), 202`."):
        expect_status(response, 202, msg=f"POST /api/events with {json.dumps(body)}")
    return expect_json(response)


def _consume(client, name):
    response = client.post(f"/api/subscribers/{name}/consume")
    expect_status(response, 200, msg=f"POST /api/subscribers/{name}/consume")
    return expect_json(response)


def _handled(client, name):
    response = client.get(f"/api/subscribers/{name}/events")
    expect_status(response, 200, msg=f"GET /api/subscribers/{name}/events")
    body = expect_json(response)
    assert isinstance(body.get("events"), list), f"GET /api/subscribers/{name}/events answered {body}; expected {{\"subscriber\": \"{name}\", \"events\": [...]}}"
    return body["events"]


def _shown(amqp_service, error):
    """An error text with the run's random prefix written as AMQP_PREFIX (messages stay the same
    from run to run)."""
    return str(error).replace(amqp_service.prefix, "<AMQP_PREFIX>")


def _spy(amqp_service, client):
    """A queue of the check's own bound with '#' to the app's events exchange (declared by the
    app's first request), and the check's broker connection."""
    _consume(client, "audit")  # the first request declares the topology
    broker = amqp_service.broker()
    spy = amqp_service.name("spy")
    broker.declare_queue(spy, durable=False)
    try:
        broker.bind_queue(spy, amqp_service.name("events"), "#")
    except RuntimeError as e:
        raise AssertionError(
            f"after a first request, the exchange AMQP_PREFIX + \"events\" does not exist on the broker "
            f"({_shown(amqp_service, e)}): declare it as a durable topic exchange before publishing"
        ) from None
    return broker, spy


@pytest.mark.req(1)
def test_publish_answers_the_envelope(client):
    """POST /api/events answers 202 with id, type, occurred_at (UTC, with offset), version 1, data."""
    before = datetime.now(timezone.utc)
    envelope = _publish(client, "order.created", {"order_id": 7})
    with about(hint="Build the envelope: {'id': str(uuid.uuid4()), 'type': ..., 'occurred_at': datetime.now(timezone.utc).isoformat(), 'version': 1, 'data': ...}."):
        assert set(envelope) >= {"id", "type", "occurred_at", "version", "data"}, f"POST /api/events answered {envelope}; the envelope needs id, type, occurred_at, version and data"
        try:
            uuid.UUID(str(envelope["id"]))
        except ValueError:
            raise AssertionError(f"the envelope's id is {envelope['id']!r}; expected a UUID string like {str(uuid.uuid4())!r}") from None
        assert envelope["type"] == "order.created" and envelope["data"] == {"order_id": 7}, f"POST /api/events with type order.created and data {{\"order_id\": 7}} answered type {envelope['type']!r} and data {envelope['data']!r}"
        assert envelope["version"] == 1 and type(envelope["version"]) is int, f"the envelope's version is {envelope['version']!r}; expected the integer 1"
        try:
            occurred = datetime.fromisoformat(str(envelope["occurred_at"]).replace("Z", "+00:00"))
        except ValueError:
            raise AssertionError(f"occurred_at is {envelope['occurred_at']!r}: not an ISO 8601 date-time") from None
        assert occurred.tzinfo is not None and occurred.utcoffset() == timedelta(0), (
            f"occurred_at is {envelope['occurred_at']!r}: a date-time without a UTC offset (a naive time); expected UTC with its offset, "
            "like datetime.now(timezone.utc).isoformat()"
        )
        assert before - timedelta(minutes=5) <= occurred <= datetime.now(timezone.utc) + timedelta(minutes=5), f"occurred_at is {envelope['occurred_at']!r}, not the time of the request"
    second = _publish(client, "order.paid")
    assert second["data"] == {}, f"POST /api/events without data answered data {second['data']!r}; expected {{}}"
    assert second["id"] != envelope["id"], "two events got the same id: each envelope needs a new UUID"


@pytest.mark.req(2)
def test_envelope_is_published_on_the_topic_exchange(client, amqp_service):
    """The envelope goes to AMQP_PREFIX + 'events' with routing key = type, message_id = id, JSON, persistent."""
    broker, spy = _spy(amqp_service, client)
    envelope = _publish(client, "order.paid", {"order_id": 7, "amount": "19.90"})
    message = broker.get(spy)
    with about(hint="broker.publish(AMQP_PREFIX + 'events', event_type, json.dumps(envelope), message_id=envelope['id'], content_type='application/json', persistent=True)."):
        assert message is not None, f"POST /api/events answered 202 but nothing reached the exchange AMQP_PREFIX + \"events\""
        broker.ack(message)
        assert message.routing_key == "order.paid", f"the event order.paid was published with routing key {message.routing_key!r}; expected its type, 'order.paid' (subscribers match their patterns against it)"
        try:
            body = json.loads(message.body)
        except ValueError:
            raise AssertionError(f"the message body is not JSON: {message.body[:200]!r}") from None
        assert body == envelope, f"the message body is {body}; expected the envelope the endpoint answered, {envelope}"
        assert message.message_id == envelope["id"], f"the message's message_id is {message.message_id!r}; expected the envelope's id {envelope['id']!r} (receivers dedupe on it)"
        assert message.content_type == "application/json", f"the message's content type is {message.content_type!r}; expected 'application/json'"
        assert message.persistent, "the message is not persistent (delivery mode 2): a RabbitMQ restart would lose it"


@pytest.mark.parametrize("body", [
    {"data": {"order_id": 1}}, {"type": "Order.Created"}, {"type": "order"}, {"type": "order..paid"},
    {"type": 42}, {"type": "order.created", "data": [1, 2]}, ["order.created"],
], ids=["no-type", "upper-case", "one-word", "empty-word", "number", "data-list", "not-an-object"])
@pytest.mark.req(3)
def test_bad_events_are_refused(client, amqp_service, body):
    """Invalid bodies answer 400 {"error": ...} and publish nothing."""
    broker, spy = _spy(amqp_service, client)
    response = client.post("/api/events", json=body)
    with about(hint="Validate before publishing: type must match r'^[a-z][a-z_]*(\\.[a-z][a-z_]*)+$' and data must be a dict."):
        expect_status(response, 400, msg=f"POST /api/events with {json.dumps(body)}")
        error = expect_json(response)
        assert isinstance(error, dict) and isinstance(error.get("error"), str), f"the 400 answered {error}; expected {{\"error\": \"<message>\"}}"
        assert broker.queue_length(spy) == 0, f"POST /api/events with {json.dumps(body)} answered 400 but still published a message"


@pytest.mark.req(4, 5)
def test_subscribers_receive_what_their_pattern_matches(client):
    """billing (order.*) gets order.created and order.paid; audit (#) gets all four."""
    published = [_publish(client, t, {"n": i}) for i, t in enumerate(EVENTS)]
    billing = _consume(client, "billing")
    audit = _consume(client, "audit")
    got_billing = [e.get("type") for e in _handled(client, "billing")]
    got_audit = [e.get("type") for e in _handled(client, "audit")]
    with about(hint="Bind the billing queue with 'order.*' and the audit queue with '#' on the topic exchange, before the first publish."):
        assert got_billing == ["order.created", "order.paid"], (
            f"after publishing {', '.join(EVENTS)} and consuming, billing (bound with 'order.*') handled {got_billing}; "
            "expected ['order.created', 'order.paid']: '*' matches exactly one word, so not order.item.added"
        )
        assert got_audit == list(EVENTS), f"audit (bound with '#') handled {got_audit}; expected all of {list(EVENTS)} in order"
    assert billing == {"subscriber": "billing", "handled": 2, "duplicates": 0, "rejected": 0, "failed": 0}, f"POST /api/subscribers/billing/consume answered {billing}; expected handled 2, duplicates 0, rejected 0, failed 0"
    assert audit["handled"] == 4, f"POST /api/subscribers/audit/consume answered {audit}; expected handled 4"
    assert _handled(client, "audit") == published, "GET /api/subscribers/audit/events must answer the envelopes as published"


@pytest.mark.req(4)
def test_queues_are_durable_and_declared_by_the_first_request(client, amqp_service):
    """The first publish already reaches both queues: the subscribers' queues exist before it."""
    envelope = _publish(client, "order.created", {"order_id": 1})
    broker = amqp_service.broker()
    for name in ("billing", "audit"):
        queue = amqp_service.name(name)
        try:
            waiting = broker.queue_length(queue)
        except RuntimeError as e:
            raise AssertionError(
                f"after the first POST /api/events the queue AMQP_PREFIX + {name!r} does not exist ({_shown(amqp_service, e)}): declare and bind "
                "the subscribers' queues before publishing (the exchange drops a message no queue is bound for)"
            ) from None
        with about(hint="Declare the exchange, the queues and the bindings before publishing (the broker drops a message no queue is bound for)."):
            assert waiting == 1, f"the first event published ({envelope['type']}) is not waiting in the queue AMQP_PREFIX + {name!r} ({waiting} message(s)): it was published before the queue was bound, and lost: declare and bind the subscribers' queues before publishing"
    try:
        broker.declare_queue(amqp_service.name("billing"), durable=True, dead_letter_exchange=amqp_service.name("dead"))
    except RuntimeError as e:
        raise AssertionError(
            "the queue AMQP_PREFIX + 'billing' was not declared durable with the dead-letter exchange AMQP_PREFIX + 'dead': "
            f"declaring it that way is refused ({_shown(amqp_service, e)})"
        ) from None


@pytest.mark.req(5)
def test_consume_acks_and_unknown_subscribers_are_404(client, amqp_service):
    """Consumed messages are acked (the queue is empty after), other names answer 404."""
    _publish(client, "order.created", {"order_id": 1})
    _consume(client, "billing")
    broker = amqp_service.broker()
    with about(hint="broker.ack(message) after handling each message."):
        assert broker.queue_length(amqp_service.name("billing")) == 0 and broker.get(amqp_service.name("billing")) is None, (
            "after POST /api/subscribers/billing/consume a message is still in the billing queue: each message must be acked"
        )
    again = _consume(client, "billing")
    assert again["handled"] == 0, f"a second consume with nothing new answered {again}; expected handled 0"
    for method, url in (("post", "/api/subscribers/shipping/consume"), ("get", "/api/subscribers/shipping/events")):
        response = getattr(client, method)(url)
        expect_status(response, 404, msg=f"{method.upper()} {url} (no such subscriber)")


@pytest.mark.req(6)
def test_duplicates_are_acked_not_handled_twice(client, amqp_service):
    """The same envelope delivered twice (a publisher retry) is handled once."""
    _consume(client, "billing")
    envelope = {"id": str(uuid.uuid4()), "type": "order.paid", "occurred_at": datetime.now(timezone.utc).isoformat(), "version": 1, "data": {"order_id": 3}}
    broker = amqp_service.broker()
    for _ in range(2):
        broker.publish(amqp_service.name("events"), "order.paid", json.dumps(envelope), message_id=envelope["id"])
    counts = _consume(client, "billing")
    handled = _handled(client, "billing")
    with about(hint="Keep the ids each subscriber handled; a known id: ack and skip."):
        assert [e.get("id") for e in handled] == [envelope["id"]], (
            f"the same envelope (id {envelope['id']}) was published twice; billing handled {len(handled)} event(s): "
            "handlers must be idempotent by event id"
        )
        assert (counts["handled"], counts["duplicates"]) == (1, 1), f"the same envelope was published twice; consume answered {counts}; expected handled 1, duplicates 1: handlers must be idempotent by event id"
    assert broker.queue_length(amqp_service.name("billing")) == 0, "the duplicate is still in the queue: ack it too"


@pytest.mark.req(5, 6)
def test_a_redelivered_message_is_handled_once(client, amqp_service):
    """A consumer that died before its ack: RabbitMQ redelivers; the event is handled once."""
    envelope = _publish(client, "order.created", {"order_id": 9})
    _consume(client, "billing")
    other = amqp_service.broker()
    other.publish(amqp_service.name("events"), "order.created", json.dumps(envelope), message_id=envelope["id"])
    taken = other.get(amqp_service.name("billing"))
    assert taken is not None, "the re-published envelope did not reach the billing queue"
    other.close()  # a consumer dies without its ack: the message goes back, redelivered
    counts = _consume(client, "billing")
    with about(hint="A redelivered message with an id already handled is acked and counted as a duplicate."):
        assert [e.get("id") for e in _handled(client, "billing")] == [envelope["id"]], "a redelivered event was handled a second time"
        assert counts["duplicates"] == 1, f"consume answered {counts} for one redelivered duplicate; expected duplicates 1"


@pytest.mark.req(7)
def test_malformed_messages_are_dead_lettered(client, amqp_service):
    """Not-an-envelope messages are rejected without requeue, land in dead-letters; the rest is handled."""
    _consume(client, "billing")
    broker = amqp_service.broker()
    exchange = amqp_service.name("events")
    good = {"id": str(uuid.uuid4()), "type": "order.paid", "occurred_at": datetime.now(timezone.utc).isoformat(), "version": 1, "data": {}}
    junk = ["not json", "[1, 2]", json.dumps({"type": "order.paid", "data": {}}), json.dumps({"id": "x", "type": "order.paid", "data": "no"}),
            json.dumps({"id": "no-data", "type": "order.paid"}), json.dumps({"id": "no-type", "data": {}})]
    for body in junk:
        broker.publish(exchange, "order.paid", body)
    broker.publish(exchange, "order.paid", json.dumps(good), message_id=good["id"])
    counts = _consume(client, "billing")
    with about(hint="broker.nack(message, requeue=False) for a message that is not an envelope; declare the queue with dead_letter_exchange=AMQP_PREFIX + 'dead'."):
        assert counts.get("rejected") == len(junk), (
            f"{len(junk)} malformed messages (not JSON, a list, no id, data not an object, no data at all, no type) and 1 good one "
            f"were consumed; consume answered {counts}; expected rejected {len(junk)} (an envelope without data is not an envelope: "
            "do not default its data to {})"
        )
        assert [e.get("id") for e in _handled(client, "billing")] == [good["id"]], "the good event after the malformed ones was not handled"
        dead = amqp_service.name("dead-letters")
        deadline = time.monotonic() + 3
        waiting = 0
        while time.monotonic() < deadline:
            try:
                waiting = broker.queue_length(dead)
            except RuntimeError as e:
                raise AssertionError(f"the queue AMQP_PREFIX + \"dead-letters\" does not exist ({_shown(amqp_service, e)})") from None
            if waiting >= len(junk):
                break
            time.sleep(0.05)
        assert waiting == len(junk), (
            f"{waiting} of the {len(junk)} rejected messages reached the queue AMQP_PREFIX + \"dead-letters\": reject with nack(requeue=False) (an ack drops the message "
            "for good) and declare each subscriber queue with the dead-letter exchange AMQP_PREFIX + \"dead\""
        )
    assert broker.queue_length(amqp_service.name("billing")) == 0, "a malformed message is still in the billing queue"


@pytest.mark.req(8)
def test_broker_down_answers_503_fast(app, client, amqp_service):
    """With the broker unreachable, publish and consume answer 503 {"error": ...} within 2 s."""
    app.config["AMQP_BROKER"] = amqp_service.down_broker()
    for url, body in (("/api/events", {"type": "order.created", "data": {}}), ("/api/subscribers/billing/consume", None)):
        started = time.monotonic()
        response = client.post(url, json=body) if body is not None else client.post(url)
        elapsed = time.monotonic() - started
        with about(hint="Catch ConnectionError (an @app.errorhandler(ConnectionError)) and answer 503 with a JSON error."):
            expect_status(response, 503, msg=f"POST {url} with the broker down")
            error = expect_json(response)
            assert isinstance(error, dict) and "error" in error, f"the 503 answered {error}; expected {{\"error\": ...}}"
        assert elapsed < 2, f"POST {url} took {elapsed:.1f} s with the broker down; expected under 2 s"


def _waiting(broker, queue, expected):
    """The messages ready in a queue, read until it holds `expected` or 3 s passed (a nack reaches
    a real RabbitMQ's count a moment later)."""
    deadline = time.monotonic() + 3
    waiting = broker.queue_length(queue)
    while waiting != expected and time.monotonic() < deadline:
        time.sleep(0.05)
        waiting = broker.queue_length(queue)
    return waiting


def _order_ids(events):
    return [(e.get("data") or {}).get("order_id") for e in events]


ACK_AFTER_HINT = (
    "Run the handler first, ack after it returned: try: handle(...) except Exception: nack(message, requeue=True) "
    "and stop this consume; else: ack(message)."
)


@pytest.mark.req(5, 9)
def test_a_failed_handler_leaves_the_message_to_be_redelivered(app, client, amqp_service):
    """EVENT_HANDLER raises once for order 1: not acked, requeued, the consume stops; the next consume handles both, once each."""
    _consume(client, "billing")  # the first request declares the topology
    raised = []

    def flaky(subscriber, envelope):
        if subscriber == "billing" and envelope.get("data") == {"order_id": 1} and not raised:
            raised.append(subscriber)
            raise RuntimeError("the billing service is down for a moment")

    app.config["EVENT_HANDLER"] = flaky
    _publish(client, "order.created", {"order_id": 1})
    _publish(client, "order.paid", {"order_id": 2})
    with about(hint=ACK_AFTER_HINT):
        first = _consume(client, "billing")
        assert raised, (
            "app.config[\"EVENT_HANDLER\"] was set to a handler and 2 events were consumed by billing, but it was never called: "
            "call it as hook(subscriber, envelope) for each event before recording it (requirement 9)"
        )
        broker = amqp_service.broker()
        waiting = _waiting(broker, amqp_service.name("billing"), 2)
        assert waiting == 2, (
            f"events for order 1 and order 2 were published, the handler raised on order 1, and after that consume {waiting} message(s) "
            "wait in billing's queue; expected 2 (order 1 put back with nack(requeue=True), order 2 not taken yet): the message whose "
            "handler raised was acked before the handler ran (or instead of a nack), so it is lost: ack only after the handler returned"
        )
        assert first == {"subscriber": "billing", "handled": 0, "duplicates": 0, "rejected": 0, "failed": 1}, (
            f"the handler raised on the first message (order 1); consume answered {first}; expected handled 0, duplicates 0, rejected 0, "
            "failed 1: a failure counts in failed and the consume stops there (the messages after it wait for the next consume)"
        )
        assert _handled(client, "billing") == [], "an event whose handler raised was recorded as handled anyway: record it only when the handler returned"
        second = _consume(client, "billing")
        handled = _handled(client, "billing")
        assert _order_ids(handled) == [1, 2], (
            f"the handler raised once on order 1, which was put back in the queue; the next consume handled orders {_order_ids(handled)}; "
            "expected [1, 2]: the redelivered message is handled when it comes back, once"
        )
        assert second == {"subscriber": "billing", "handled": 2, "duplicates": 0, "rejected": 0, "failed": 0}, (
            f"the consume after the failure answered {second}; expected handled 2 (order 1 redelivered, order 2), failed 0"
        )
    assert broker.queue_length(amqp_service.name("billing")) == 0, "after a consume that handled everything a message is still in billing's queue: ack each handled message"


@pytest.mark.req(9)
def test_a_handler_that_keeps_failing_is_dead_lettered(app, client, amqp_service):
    """EVENT_HANDLER always raises for order 13: two requeues, dead-lettered at the 3rd failure (HANDLER_MAX_ATTEMPTS' default); the next event is handled."""
    _consume(client, "billing")

    def broken(subscriber, envelope):
        if envelope.get("data") == {"order_id": 13}:
            raise ValueError("order 13 cannot be billed")

    app.config["EVENT_HANDLER"] = broken
    _publish(client, "order.created", {"order_id": 13})
    _publish(client, "order.paid", {"order_id": 14})
    answers = [_consume(client, "billing") for _ in range(3)]
    broker = amqp_service.broker()
    with about(hint="Count each subscriber's failures per event id; at the HANDLER_MAX_ATTEMPTS-th (default 3), nack(message, requeue=False) and go on with the next message."):
        summary = [(a.get("handled"), a.get("failed")) for a in answers]
        assert summary == [(0, 1), (0, 1), (1, 1)], (
            f"the handler always raises on order 13 (published before order 14); three consumes answered (handled, failed) {summary}; "
            "expected [(0, 1), (0, 1), (1, 1)]: the first two failures requeue it and stop the consume, the 3rd (HANDLER_MAX_ATTEMPTS, "
            "default 3) rejects it without requeue, and order 14 is then handled in the same consume"
        )
        assert _order_ids(_handled(client, "billing")) == [14], f"billing handled orders {_order_ids(_handled(client, 'billing'))}; expected [14]"
        dead = _waiting(broker, amqp_service.name("dead-letters"), 1)
        assert dead == 1, (
            f"after its 3rd failure, {dead} message(s) are in the queue AMQP_PREFIX + \"dead-letters\"; expected 1 (order 13): "
            "reject it with nack(requeue=False), the queue's dead-letter exchange takes it there"
        )
    assert broker.queue_length(amqp_service.name("billing")) == 0, "a message is still in billing's queue after the poison message was dead-lettered and order 14 handled"
