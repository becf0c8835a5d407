"""Checks for c07-sync: two instances of the app (two create_app() calls sharing one store and
one Redis, as two servers behind a load balancer) keep their in-process caches coherent through
Redis pub/sub: a PUT or a clear on one instance reaches the other within a second.

Redis here is the `redis_service` fixture: a real server when FLASK_TUTOR_REDIS_URL answers,
else fakeredis (each check prints which). Pub/sub channels are server-wide, so this run uses a
channel of its own. Each check names the brief's numbered requirements it covers
(@pytest.mark.req)."""
import json
import time
import uuid

import pytest

from flask_tutor_pytest.helpers import about, expect_status

CHANNEL = "cache:invalidate:checks-" + uuid.uuid4().hex[:12]
pytestmark = [pytest.mark.usefixtures("redis_service"), pytest.mark.app_config(STORE_DELAY=0, CACHE_CHANNEL=CHANNEL, INSTANCE_ID="instance-a")]


@pytest.fixture
def other(app, app_module, redis_service):
    """A second instance: same store (one database), same Redis, its own L1."""
    factory = getattr(app_module, "create_app", None)
    assert factory is not None, "app.py must keep its create_app() factory: the checks start two instances with it"
    second = factory(redis_service.app_config(TESTING=True, STORE_DELAY=0, CACHE_CHANNEL=CHANNEL, INSTANCE_ID="instance-b", PRODUCT_STORE=app.extensions["store"]))
    assert second.extensions["store"] is app.extensions["store"], "create_app() must use the PRODUCT_STORE it is given (the starter does)"
    return second.test_client()


def _get(client, product_id, expect_cache, who):
    response = client.get(f"/api/products/{product_id}")
    expect_status(response, 200)
    got = response.headers.get("X-Cache")
    assert got == expect_cache, f"GET /api/products/{product_id} on {who} answered X-Cache: {got}; expected {expect_cache}"
    return response


def _eventually(client, product_id, predicate, seconds=1.0):
    """GETs every 50 ms until predicate(response) holds or `seconds` pass; the last response."""
    deadline = time.monotonic() + seconds
    while True:
        response = client.get(f"/api/products/{product_id}")
        if predicate(response) or time.monotonic() > deadline:
            return response
        time.sleep(0.05)


def _messages(pubsub, seconds=1.0):
    out, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        message = pubsub.get_message(timeout=0.05)
        if message and message.get("type") == "message":
            out.append(message["data"])
            if len(out) >= 1:
                deadline = min(deadline, time.monotonic() + 0.1)
    return out


@pytest.mark.req(1)
def test_put_publishes_a_delete(client, redis_service):
    """PUT publishes {"action": "delete", "key": "product:<id>", "origin": INSTANCE_ID} on CACHE_CHANNEL."""
    listener = redis_service.client().pubsub(ignore_subscribe_messages=True)
    listener.subscribe(CHANNEL)
    try:
        _get(client, 1, "MISS", "instance A")
        expect_status(client.put("/api/products/1", json={"name": "Quiet keyboard"}), 200)
        received = _messages(listener)
    finally:
        listener.close()
    with about(hint="After the update: `get_redis().publish(current_app.config['CACHE_CHANNEL'], json.dumps({...}))`."):
        assert received, f"PUT /api/products/1 published nothing on the channel CACHE_CHANNEL ({CHANNEL}) within 1 s"
        try:
            message = json.loads(received[0])
        except ValueError:
            message = None
        expected = {"action": "delete", "key": "product:1", "origin": "instance-a"}
        assert message == expected, f"PUT /api/products/1 published {received[0]!r}; expected the JSON {json.dumps(expected)} (origin: the INSTANCE_ID config value)"


@pytest.mark.req(1, 2)
def test_put_on_one_instance_reaches_the_other(client, other):
    """After PUT on instance A, instance B answers the new data within 1 s (its L1 copy dropped)."""
    _get(client, 1, "MISS", "instance A")
    _get(other, 1, "MISS", "instance B")
    _get(other, 1, "L1", "instance B")
    _get(other, 2, "MISS", "instance B")
    expect_status(client.put("/api/products/1", json={"name": "Quiet keyboard"}), 200)
    _get(client, 1, "MISS", "instance A (which made the change)")
    response = _eventually(other, 1, lambda r: r.status_code == 200 and r.get_json().get("name") == "Quiet keyboard")
    with about(hint="Subscribe to CACHE_CHANNEL in every instance; on a delete message drop that key from L1."):
        assert response.get_json().get("name") == "Quiet keyboard", (
            f"1 s after PUT /api/products/1 on instance A, GET /api/products/1 on instance B still answers {response.get_json()} "
            f"(X-Cache: {response.headers.get('X-Cache')}): instance B never dropped its L1 copy"
        )
    response = other.get("/api/products/2")
    expect_status(response, 200)
    with about(hint="On a delete message drop only that key (`l1.delete(message['key'])`), not the whole L1."):
        assert response.headers.get("X-Cache") == "L1", (
            f"instance B had products 1 and 2 in L1; after the delete message for product:1, GET /api/products/2 "
            f"on instance B answered X-Cache: {response.headers.get('X-Cache')}; expected L1: a delete message drops "
            "only its key, other entries of B's L1 stay"
        )


@pytest.mark.req(3)
def test_clear_reaches_every_instance(client, other):
    """POST /api/cache/clear answers 204, clears this L1 and, within 1 s, the other instance's."""
    for product_id in (1, 2):
        _get(other, product_id, "MISS", "instance B")
    _get(client, 3, "MISS", "instance A")
    expect_status(client.post("/api/cache/clear"), 204)
    _get(client, 3, "MISS", "instance A (after its own clear)")
    response = _eventually(other, 2, lambda r: r.headers.get("X-Cache") == "MISS")
    with about(hint="Publish {\"action\": \"clear\", \"origin\": ...} and clear the whole L1 when such a message arrives."):
        assert response.headers.get("X-Cache") == "MISS", f"1 s after POST /api/cache/clear on instance A, instance B still answers product 2 from L1"
        _get(other, 1, "MISS", "instance B (after the clear)")


@pytest.mark.req(4)
def test_bad_messages_are_ignored(client, other, redis_service):
    """Messages that are not JSON objects or name an unknown action are ignored; listening goes on."""
    _get(other, 1, "MISS", "instance B")
    _get(other, 2, "MISS", "instance B")
    publisher = redis_service.client()
    for junk in ("not json", "[1, 2]", json.dumps({"action": "explode", "key": "product:1"}), json.dumps({"action": "delete"}), json.dumps({"action": "DELETE", "key": "product:1"}), json.dumps({"action": "Clear"})):
        publisher.publish(CHANNEL, junk)
    time.sleep(0.1)
    with about(hint="Parse each message inside try/except; skip what is not a dict with a known action."):
        _get(other, 1, "L1", "instance B (after junk messages)")
        _get(other, 2, "L1", "instance B (after junk messages)")
    publisher.publish(CHANNEL, json.dumps({"action": "delete", "key": "product:2", "origin": "somebody-else"}))
    response = _eventually(other, 2, lambda r: r.headers.get("X-Cache") == "MISS")
    assert response.headers.get("X-Cache") == "MISS", "after junk messages, instance B no longer applies a valid delete message: a bad message must not stop the listening"
    _get(other, 1, "L1", "instance B (product 1 was not deleted)")


@pytest.mark.req(5)
@pytest.mark.app_config(L1_TTL=0.5)
def test_l1_ttl_is_the_safety_net(app, client):
    """A change nobody announced is seen after L1_TTL seconds at most."""
    _get(client, 4, "MISS", "instance A")
    app.extensions["store"].update(4, {"name": "Changed behind the cache's back"})
    _get(client, 4, "L1", "instance A")
    time.sleep(0.7)
    response = _get(client, 4, "MISS", "instance A (L1_TTL=0.5 s later)")
    assert response.get_json()["name"] == "Changed behind the cache's back", f"after L1_TTL, GET /api/products/4 answered {response.get_json()}"


@pytest.mark.req(6)
def test_redis_down_keeps_the_instance_working(app, app_module, client, redis_service):
    """With Redis down, create_app() works, reads work and PUT still updates the store and answers 200, fast."""
    started = time.monotonic()
    with about(hint="If you subscribe in create_app(), catch `redis.exceptions.RedisError` there: the instance must start without Redis."):
        factory = getattr(app_module, "create_app", None)
        assert factory is not None, "app.py must keep its create_app() factory"
        factory({"TESTING": True, "STORE_DELAY": 0, "CACHE_CHANNEL": CHANNEL, "REDIS_CLIENT": redis_service.down_client()})
    app.config["REDIS_CLIENT"] = redis_service.down_client()
    with about(hint="Catch `redis.exceptions.RedisError` around subscribing, reading messages and publishing: log it and go on."):
        _get(client, 5, "MISS", "instance A (Redis down)")
        response = client.put("/api/products/5", json={"price_cents": 5900})
        expect_status(response, 200)
        after = _get(client, 5, "MISS", "instance A (Redis down, after the PUT)")
    assert after.get_json()["price_cents"] == 5900, f"with Redis down, GET /api/products/5 after the PUT answered {after.get_json()}"
    assert time.monotonic() - started < 2, "with Redis down, creating an instance and these requests took 2 s or more"
