"""Checks for c07-multi-level: a read-through cache with two levels, L1 in the process (LRU,
TTL) and L2 in Redis (TTL), X-Cache saying where an answer came from, invalidation on PUT, and
Redis being an optimisation, never a point of failure.

Redis here is the `redis_service` fixture: a real server when FLASK_TUTOR_REDIS_URL answers,
else fakeredis (each check prints which). Each check names the brief's numbered requirements it
covers (@pytest.mark.req)."""
import json
import time

import pytest

from flask_tutor_pytest.helpers import about, expect_json, expect_status

pytestmark = pytest.mark.usefixtures("redis_service")

PRODUCTS = {
    1: {"id": 1, "name": "Mechanical keyboard", "price_cents": 8900, "category": "peripherals"},
    2: {"id": 2, "name": "27-inch monitor", "price_cents": 27900, "category": "displays"},
    3: {"id": 3, "name": "USB-C dock", "price_cents": 15900, "category": "peripherals"},
    4: {"id": 4, "name": "Laptop stand", "price_cents": 3900, "category": "accessories"},
}


def _loads(app):
    return app.extensions["store"].loads


def _get(client, product_id, expect_cache, status=200):
    response = client.get(f"/api/products/{product_id}")
    expect_status(response, status)
    got = response.headers.get("X-Cache")
    assert got == expect_cache, (
        f"GET /api/products/{product_id} answered X-Cache: {got}; expected X-Cache: {expect_cache} "
        f"({_WHY[expect_cache]})"
    )
    return response


_WHY = {
    "MISS": "it was in neither cache level, so it came from the store",
    "L1": "it was in this process's cache (L1) and still fresh",
    "L2": "it was in Redis (L2) but not in this process's cache",
}


@pytest.mark.req(1)
@pytest.mark.app_config(STORE_DELAY=0)
def test_second_read_comes_from_l1(app, client):
    """The first GET loads the store (MISS); the next one comes from L1 without loading it again."""
    with about(hint="Look in L1, then Redis, then the store; set X-Cache to L1, L2 or MISS."):
        first = _get(client, 1, "MISS")
        assert first.get_json() == PRODUCTS[1], f"GET /api/products/1 answered {first.get_json()}; expected the product {PRODUCTS[1]}"
        assert _loads(app) == 1, f"the first GET /api/products/1 loaded the store {_loads(app)} times; expected once"
        second = _get(client, 1, "L1")
        assert second.get_json() == PRODUCTS[1], f"the cached GET /api/products/1 answered {second.get_json()}; expected {PRODUCTS[1]}"
        assert _loads(app) == 1, f"after two GETs of product 1 the store was loaded {_loads(app)} times; the second must come from the cache"


@pytest.mark.req(2)
@pytest.mark.app_config(STORE_DELAY=0, L2_TTL=30)
def test_miss_writes_redis_with_ttl(client, redis_service):
    """A miss writes the product's JSON to Redis at product:<id>, expiring in L2_TTL seconds."""
    _get(client, 3, "MISS")
    r = redis_service.client()
    text = r.get("product:3")
    assert text is not None, "after GET /api/products/3 (a miss), Redis has no key product:3; write the product there (L2)"
    try:
        stored = json.loads(text)
    except ValueError:
        stored = None
    assert stored == PRODUCTS[3], f"Redis key product:3 holds {text!r}; expected the product as JSON: {json.dumps(PRODUCTS[3])}"
    ttl = r.ttl("product:3")
    with about(hint="`redis.set(key, text, ex=current_app.config['L2_TTL'])`"):
        assert 0 < ttl <= 30, (
            f"Redis key product:3 has TTL {ttl} (-1 means it never expires); expected it to expire in L2_TTL "
            "seconds (the check set L2_TTL=30)"
        )
        # Generous for a loaded machine, but a TTL taken from another setting (L1_TTL is 5) is not.
        assert ttl > 20, (
            f"Redis key product:3 has TTL {ttl} s right after the miss; expected about L2_TTL = 30 s "
            "(the check set L2_TTL=30, L1_TTL is 5): give Redis the L2 TTL, not L1's"
        )


@pytest.mark.req(3)
@pytest.mark.app_config(STORE_DELAY=0)
def test_l2_hit_is_served_and_promoted(app, client, redis_service):
    """A product found in Redis is answered from there (no store load) and copied into L1."""
    in_redis = dict(PRODUCTS[4], name="Laptop stand (from Redis)")
    redis_service.client().set("product:4", json.dumps(in_redis), ex=60)
    response = _get(client, 4, "L2")
    assert response.get_json() == in_redis, (
        f"Redis held product:4 = {in_redis} (put there by the check, as another instance would); GET /api/products/4 "
        f"answered {response.get_json()}: read L2 before the store"
    )
    assert _loads(app) == 0, f"GET /api/products/4 loaded the store {_loads(app)} times although Redis had it"
    with about(hint="On an L2 hit, also put the product into L1 before answering."):
        _get(client, 4, "L1")


@pytest.mark.req(4)
@pytest.mark.app_config(STORE_DELAY=0, L1_MAX_ITEMS=2)
def test_l1_evicts_least_recently_used(client):
    """With L1_MAX_ITEMS=2, reading 1, 2, 1, 3 evicts 2 (least recently used), not 1."""
    _get(client, 1, "MISS")
    _get(client, 2, "MISS")
    _get(client, 1, "L1")  # 1 is now more recently used than 2
    _get(client, 3, "MISS")  # L1 is full: 2 must go
    with about(hint="A hit must mark the entry as recently used (`OrderedDict.move_to_end(key)`); evict from the other end."):
        _get(client, 1, "L1")
        _get(client, 2, "L2")
    _get(client, 3, "L2")  # bringing 2 back evicted 3 (1 was used more recently)


@pytest.mark.req(5)
@pytest.mark.app_config(STORE_DELAY=0, L1_TTL=0.5)
def test_l1_entries_expire(client):
    """An L1 entry older than L1_TTL seconds is not used: the next GET comes from Redis."""
    _get(client, 2, "MISS")
    _get(client, 2, "L1")
    time.sleep(0.7)
    with about(hint="Keep an expiry time with each L1 entry (`time.monotonic() + ttl`) and ignore it once passed."):
        _get(client, 2, "L2")


@pytest.mark.req(5)
@pytest.mark.app_config(STORE_DELAY=0, L1_TTL=1.0)
def test_l1_use_does_not_extend_ttl(client):
    """A GET answered from L1 does not restart the entry's L1_TTL: it counts from when it was stored."""
    _get(client, 2, "MISS")
    stored = time.monotonic()
    time.sleep(0.6)
    client.get("/api/products/2")  # an L1 hit when the machine is fast enough; a use either way
    time.sleep(max(0.0, 1.2 - (time.monotonic() - stored)))
    response = client.get("/api/products/2")
    expect_status(response, 200)
    got = response.headers.get("X-Cache")
    with about(hint="Set the expiry time when the entry is stored (`set`), not on every hit: a hit moves it to the end of the LRU order only."):
        assert got == "L2", (
            f"with L1_TTL=1.0 s, GET /api/products/2 answered MISS, then was read again after about 0.6 s and "
            f"again more than 1 s after it was stored: that last GET answered X-Cache: {got}; expected L2 "
            "(an L1 entry lives L1_TTL seconds from when it was stored; using it must not extend its life)"
        )


@pytest.mark.req(6)
@pytest.mark.app_config(STORE_DELAY=0)
def test_unknown_product_is_not_cached(app, client, redis_service):
    """An unknown id answers 404 with an error, and nothing is cached for it."""
    response = client.get("/api/products/999")
    body = expect_json(response, status=404)
    assert isinstance(body, dict) and isinstance(body.get("error"), str), f'GET /api/products/999 should answer {{"error": "..."}}, got {body}'
    keys = sorted(redis_service.client().keys("*"))
    assert keys == [], f"after GET /api/products/999 (unknown), Redis holds {keys}; cache only products that exist"
    client.get("/api/products/999")
    assert _loads(app) == 2, f"two GETs of unknown product 999 loaded the store {_loads(app)} times; expected 2 (unknown ids are not cached)"


@pytest.mark.req(7)
@pytest.mark.app_config(STORE_DELAY=0)
def test_put_invalidates_both_levels(client, redis_service):
    """After PUT changes a product, the next GET comes from the store with the new data."""
    _get(client, 1, "MISS")
    _get(client, 1, "L1")
    response = client.put("/api/products/1", json={"name": "Quiet keyboard"})
    expect_status(response, 200)
    with about(hint="After the store's update, delete the product from L1 and from Redis (`redis.delete(key)`)."):
        after = _get(client, 1, "MISS")
    assert after.get_json()["name"] == "Quiet keyboard", f"GET /api/products/1 after the PUT answered {after.get_json()}; expected the new name"
    text = redis_service.client().get("product:1")
    assert text is not None and json.loads(text)["name"] == "Quiet keyboard", f"Redis key product:1 holds {text!r} after the PUT and a GET; expected the new name"


@pytest.mark.req(8)
@pytest.mark.app_config(STORE_DELAY=0)
def test_works_when_redis_is_down(app, client, redis_service):
    """With Redis unreachable, GET still answers the product (from the store, then L1), fast."""
    app.config["REDIS_CLIENT"] = redis_service.down_client()
    started = time.monotonic()
    with about(hint="Catch `redis.exceptions.RedisError` around every Redis call: log it and go on without L2."):
        first = _get(client, 2, "MISS")
        assert first.get_json() == PRODUCTS[2], f"with Redis down, GET /api/products/2 answered {first.get_json()}; expected the product"
        _get(client, 2, "L1")
    elapsed = time.monotonic() - started
    assert elapsed < 2, f"with Redis down, two GETs took {elapsed:.1f} s; expected under 2 s (short timeouts, no retries)"


class _TimingOutRedis:
    """A Redis client whose every command raises redis.exceptions.TimeoutError (a RedisError
    that is not a ConnectionError): a server that accepted the connection but did not answer."""

    def __getattr__(self, name):
        import redis

        def command(*args, **kwargs):
            raise redis.exceptions.TimeoutError("Timeout reading from socket")

        return command


@pytest.mark.req(8)
@pytest.mark.app_config(STORE_DELAY=0)
def test_works_when_redis_times_out(app, client):
    """Any RedisError, not only ConnectionError: a timeout also leaves GET answering from the store."""
    app.config["REDIS_CLIENT"] = _TimingOutRedis()
    with about(hint="Catch `redis.exceptions.RedisError` (the base class), not only `ConnectionError`: a timeout is a `TimeoutError`."):
        first = _get(client, 4, "MISS")
        assert first.get_json() == PRODUCTS[4], (
            f"with every Redis command raising redis.exceptions.TimeoutError, GET /api/products/4 answered "
            f"{first.get_json()}; expected the product from the store"
        )
        _get(client, 4, "L1")
