"""Checks for c07-analytics: every cached read counts a hit or a miss in Redis (per cache, and
per key for the hot keys), GET /api/cache/stats reports them with hit ratios, DELETE resets them,
both behind an admin token; Redis down never breaks a read and makes the stats answer 503.

Redis here is the `redis_service` fixture: a real server when FLASK_TUTOR_REDIS_URL answers,
else fakeredis (each check prints which). Each check names the brief's numbered requirements it
covers (@pytest.mark.req)."""
import time

import pytest

from flask_tutor_pytest.helpers import about, expect_json, expect_status

TOKEN = "checks-admin-token-7f3a"
ADMIN = {"X-Admin-Token": TOKEN}
pytestmark = [pytest.mark.usefixtures("redis_service"), pytest.mark.app_config(STORE_DELAY=0, ADMIN_TOKEN=TOKEN)]


def _read(client, path, expect_cache):
    response = client.get(path)
    expect_status(response, 200)
    got = response.headers.get("X-Cache")
    assert got == expect_cache, f"GET {path} answered X-Cache: {got}; expected {expect_cache} (the starter's caching should stay as it is)"
    return response


def _traffic(client):
    """product 1: miss + 2 hits; product 2: miss; category peripherals: miss + hit; product 999: 404."""
    _read(client, "/api/products/1", "MISS")
    _read(client, "/api/products/1", "HIT")
    _read(client, "/api/products/1", "HIT")
    _read(client, "/api/products/2", "MISS")
    _read(client, "/api/categories/peripherals/products", "MISS")
    _read(client, "/api/categories/peripherals/products", "HIT")
    expect_status(client.get("/api/products/999"), 404)


def _stats(client, status=200):
    return expect_json(client.get("/api/cache/stats", headers=ADMIN), status=status)


@pytest.mark.req(1)
def test_counters_live_in_redis(client, redis_service):
    """Each read adds 1 to hits or misses of cache:stats:<name> in Redis; a 404 adds nothing."""
    _traffic(client)
    r = redis_service.client()
    product, category = r.hgetall("cache:stats:product"), r.hgetall("cache:stats:category")
    with about(hint="In `cached()`: `get_redis().hincrby(f\"cache:stats:{name}\", \"hits\" or \"misses\", 1)`."):
        assert product == {"hits": "2", "misses": "2"}, (
            "after product 1 was read three times (1 miss, 2 hits), product 2 once (a miss) and 999 once (a 404, not "
            f"counted), the Redis hash cache:stats:product holds {product}; expected {{'hits': '2', 'misses': '2'}}"
        )
        assert category == {"hits": "1", "misses": "1"}, f"after two reads of the peripherals category (a miss, then a hit), the Redis hash cache:stats:category holds {category}; expected {{'hits': '1', 'misses': '1'}}"


class _SlowReads:
    """The app's Redis client, except that every command reading a value (GET, HGET, HGETALL,
    ZSCORE...) answers 20 ms late: a count made of a read, then a write of the value + 1, from
    requests running at the same time then reads the same value and loses counts every time.
    Commands that change a value in Redis itself (HINCRBY, ZINCRBY), pipelines and transactions
    are not slowed."""

    READS = {"get", "mget", "hget", "hmget", "hgetall", "zscore", "zmscore"}

    def __init__(self, client):
        self._client = client

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if name not in self.READS:
            return attribute

        def slow(*args, **kwargs):
            value = attribute(*args, **kwargs)
            time.sleep(0.02)
            return value

        return slow


@pytest.mark.req(1, 2)
def test_counts_are_atomic(app, redis_service):
    """8 requests at a time reading product 1: every read counted, none lost."""
    import threading

    app.config["REDIS_CLIENT"] = _SlowReads(app.config["REDIS_CLIENT"])
    expect_status(app.test_client().get("/api/products/1"), 200)
    problems = []

    def reader():
        client = app.test_client()
        for _ in range(5):
            try:
                status = client.get("/api/products/1").status_code
            except Exception as e:  # pragma: no cover - reported below
                problems.append(f"{type(e).__name__}: {e}")
                return
            if status != 200:
                problems.append(f"status {status}")

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not problems, f"GET /api/products/1 from 8 threads at once failed: {problems[:3]}"
    r = redis_service.client()
    stats = r.hgetall("cache:stats:product")
    counted = int(stats.get("hits", 0)) + int(stats.get("misses", 0))
    score = r.zscore("cache:hot", "product:1")
    with about(hint="Let Redis add the 1: `hincrby(key, field, 1)` and `zincrby('cache:hot', 1, key)` are atomic; `hget` then `hset` of the value + 1 is not."):
        # The numbers lost vary from run to run: the messages say fewer or more, not how many.
        counted_all = counted == 41
        assert counted_all, (
            f"product 1 was read 41 times (once, then 8 requests at a time, 5 each); cache:stats:product counts "
            f"{'fewer' if counted < 41 else 'more'} than 41 reads; expected hits + misses = 41: a count read, then "
            "written back + 1, by requests running at the same time loses counts"
        )
        scored_all = score == 41
        assert scored_all, (
            f"product 1 was read 41 times (8 requests at a time); its score in cache:hot is "
            f"{'missing' if score is None else 'lower' if score < 41 else 'higher'} than 41; expected 41: a score read, "
            "then written back + 1, by requests running at the same time loses counts"
        )


@pytest.mark.req(2)
def test_hot_keys_sorted_set(client, redis_service):
    """Each counted read adds 1 to its key's score in the sorted set cache:hot."""
    _traffic(client)
    hot = dict(redis_service.client().zrange("cache:hot", 0, -1, withscores=True))
    expected = {"product:1": 3.0, "product:2": 1.0, "category:peripherals": 2.0}
    with about(hint="`get_redis().zincrby(\"cache:hot\", 1, key)` for every counted read, hit or miss."):
        assert hot == expected, f"after that traffic the sorted set cache:hot holds {hot}; expected {expected} (reads per cache key, 404s not counted)"


@pytest.mark.req(3)
def test_stats_report(client):
    """GET /api/cache/stats answers per-cache and total counts, hit ratios and the hot keys."""
    empty = _stats(client)
    zero = {"hits": 0, "misses": 0, "hit_ratio": None}
    assert empty == {"caches": {"product": zero, "category": zero}, "total": zero, "hot_keys": []}, (
        f"GET /api/cache/stats before any read answered {empty}; expected both caches and the total at zero with "
        "hit_ratio null, and hot_keys []"
    )
    _traffic(client)
    body = _stats(client)
    expected = {
        "caches": {
            "product": {"hits": 2, "misses": 2, "hit_ratio": 0.5},
            "category": {"hits": 1, "misses": 1, "hit_ratio": 0.5},
        },
        "total": {"hits": 3, "misses": 3, "hit_ratio": 0.5},
        "hot_keys": [{"key": "product:1", "reads": 3}, {"key": "category:peripherals", "reads": 2}, {"key": "product:2", "reads": 1}],
    }
    assert body == expected, f"GET /api/cache/stats after the traffic answered {body}; expected {expected}"
    _read(client, "/api/products/2", "HIT")
    body = _stats(client)
    assert body["caches"]["product"] == {"hits": 3, "misses": 2, "hit_ratio": 0.6}, f"after one more hit on product 2, the product cache reports {body['caches']['product']}; expected hits 3, misses 2, hit_ratio 0.6"
    assert body["total"]["hit_ratio"] == 0.571, f"total hit_ratio with 4 hits and 3 misses is {body['total']['hit_ratio']}; expected 0.571 (rounded to 3 decimals)"


@pytest.mark.req(3)
def test_hot_keys_top_five(client):
    """hot_keys lists at most 5 keys, most reads first."""
    for product_id in range(1, 6):
        for _ in range(product_id):
            client.get(f"/api/products/{product_id}")
    for _ in range(6):
        client.get("/api/categories/displays/products")
    hot = _stats(client)["hot_keys"]
    expected = [{"key": "category:displays", "reads": 6}] + [{"key": f"product:{i}", "reads": i} for i in (5, 4, 3, 2)]
    assert hot == expected, f"with reads 1..5 on products 1..5 and 6 on category displays, hot_keys is {hot}; expected the 5 most read, most first: {expected}"


@pytest.mark.req(4)
def test_reset(client, redis_service):
    """DELETE /api/cache/stats answers 204 and zeroes the counters; cached values stay."""
    _traffic(client)
    response = client.delete("/api/cache/stats", headers=ADMIN)
    expect_status(response, 204)
    zero = {"hits": 0, "misses": 0, "hit_ratio": None}
    body = _stats(client)
    assert body == {"caches": {"product": zero, "category": zero}, "total": zero, "hot_keys": []}, f"GET /api/cache/stats after DELETE answered {body}; expected every counter at zero and no hot keys"
    with about(hint="Reset deletes the statistics keys only, never the cached products."):
        _read(client, "/api/products/1", "HIT")


@pytest.mark.req(5)
def test_admin_token_required(app, client, redis_service):
    """Both stats routes answer 401 without the right X-Admin-Token (and when none is configured)."""
    _traffic(client)
    for headers, what in (({}, "no X-Admin-Token"), ({"X-Admin-Token": "wrong"}, "a wrong X-Admin-Token"), ({"X-Admin-Token": TOKEN[:-1]}, "a token missing its last character")):
        for method in ("get", "delete"):
            response = getattr(client, method)("/api/cache/stats", headers=headers)
            body = expect_json(response, status=401, msg=f"{method.upper()} /api/cache/stats with {what} must be refused.")
            assert isinstance(body, dict) and isinstance(body.get("error"), str), f'{method.upper()} /api/cache/stats with {what} should answer {{"error": "..."}}, got {body}'
    assert redis_service.client().hgetall("cache:stats:product") != {}, "a refused DELETE /api/cache/stats reset the counters"
    app.config["ADMIN_TOKEN"] = None
    for headers in ({}, {"X-Admin-Token": ""}, {"X-Admin-Token": "None"}):
        response = client.get("/api/cache/stats", headers=headers)
        expect_status(response, 401, msg=f"With no ADMIN_TOKEN configured, GET /api/cache/stats with headers {headers} must be refused.")


@pytest.mark.req(6)
def test_redis_down(app, client, redis_service):
    """With Redis down, reads still answer 200 (MISS) and the stats routes answer 503, fast."""
    app.config["REDIS_CLIENT"] = redis_service.down_client()
    started = time.monotonic()
    with about(hint="Counting is best effort: catch `redis.exceptions.RedisError` around it, and answer 503 from the stats routes."):
        _read(client, "/api/products/3", "MISS")
        _read(client, "/api/categories/displays/products", "MISS")
        for method in ("get", "delete"):
            response = getattr(client, method)("/api/cache/stats", headers=ADMIN)
            body = expect_json(response, status=503, msg=f"With Redis down, {method.upper()} /api/cache/stats must answer 503.")
            assert isinstance(body, dict) and isinstance(body.get("error"), str), f'with Redis down, {method.upper()} /api/cache/stats should answer {{"error": "..."}}, got {body}'
    assert time.monotonic() - started < 2, "with Redis down, these four requests took 2 s or more"
