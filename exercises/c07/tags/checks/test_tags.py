"""Checks for c07-tags: every cached entry is listed in the Redis sets tag:<tag> of the things it
depends on (a list is tagged with each product it holds), tag sets expire, PUT invalidates the
product's tags (old and new category), POST /api/cache/invalidate invalidates tags on demand.

Redis here is the `redis_service` fixture: a real server when FLASK_TUTOR_REDIS_URL answers,
else fakeredis (each check prints which). Each check names the brief's numbered requirements it
covers (@pytest.mark.req)."""
import pytest

from flask_tutor_pytest.helpers import about, expect_json, expect_status

TOKEN = "checks-admin-token-51c2"
ADMIN = {"X-Admin-Token": TOKEN}
pytestmark = [pytest.mark.usefixtures("redis_service"), pytest.mark.app_config(STORE_DELAY=0, ADMIN_TOKEN=TOKEN)]


def _read(client, path, expect_cache):
    response = client.get(path)
    expect_status(response, 200)
    got = response.headers.get("X-Cache")
    assert got == expect_cache, f"GET {path} answered X-Cache: {got}; expected {expect_cache}"
    return response


def _warm(client):
    """Cache: product 1 (peripherals), product 2 (displays), both category lists, the full list."""
    for path in ("/api/products/1", "/api/products/2", "/api/categories/peripherals/products", "/api/categories/displays/products", "/api/products"):
        _read(client, path, "MISS")


@pytest.mark.req(1)
def test_entries_are_tagged(client, redis_service):
    """Each cached entry's key is in the tag sets of what it depends on."""
    _warm(client)
    r = redis_service.client()
    expected = {
        "tag:product:1": {"product:1", "category:peripherals", "products:all"},
        "tag:product:3": {"category:peripherals", "products:all"},
        "tag:product:2": {"product:2", "category:displays", "products:all"},
        "tag:category:peripherals": {"product:1", "category:peripherals"},
        "tag:category:displays": {"product:2", "category:displays"},
        "tag:products": {"products:all"},
    }
    with about(hint="A product is tagged product:<id> and category:<its category>; a list is tagged with its own tag and product:<id> of every product it holds."):
        for tag_set, members in expected.items():
            got = r.smembers(tag_set)
            assert got == members, (
                f"after caching products 1 and 2, both category lists and the full list, the Redis set {tag_set} holds "
                f"{sorted(got)}; expected {sorted(members)}"
            )


@pytest.mark.req(2)
@pytest.mark.app_config(CACHE_TTL=120)
def test_tag_sets_expire(client, redis_service):
    """Tag sets expire after CACHE_TTL seconds, like the entries they list."""
    _warm(client)
    r = redis_service.client()
    for tag_set in ("tag:product:1", "tag:category:displays", "tag:products"):
        ttl = r.ttl(tag_set)
        with about(hint="After SADD, `EXPIRE tag:<tag> CACHE_TTL` (in the same pipeline)."):
            assert 0 < ttl <= 120, f"the Redis set {tag_set} has TTL {ttl} (-1: never expires, -2: missing); expected it to expire in CACHE_TTL seconds (the check set 120)"


@pytest.mark.req(3)
def test_put_invalidates_what_depends_on_the_product(client, redis_service):
    """PUT invalidates product:<id> and the old and new category tags; other entries stay."""
    _warm(client)
    response = client.put("/api/products/1", json={"name": "Quiet keyboard"})
    expect_status(response, 200)
    with about(hint="In PUT, invalidate the tags product:<id>, category:<old category> and category:<new category>."):
        detail = _read(client, "/api/products/1", "MISS")
        assert detail.get_json()["name"] == "Quiet keyboard", f"GET /api/products/1 after the PUT answered {detail.get_json()}"
        everything = _read(client, "/api/products", "MISS")
        names = [p["name"] for p in everything.get_json()]
        assert "Quiet keyboard" in names, f"GET /api/products after renaming product 1 lists {names}: the full list holds product 1, so it must be invalidated too"
        _read(client, "/api/categories/peripherals/products", "MISS")
    _read(client, "/api/products/2", "HIT")
    _read(client, "/api/categories/displays/products", "HIT")
    response = client.put("/api/products/1", json={"category": "displays"})
    expect_status(response, 200)
    with about(hint="Moving a product to another category makes both categories' lists stale."):
        moved = _read(client, "/api/categories/displays/products", "MISS")
        ids = [p["id"] for p in moved.get_json()]
        assert ids == [1, 2], f"GET /api/categories/displays/products after moving product 1 there lists ids {ids}; expected [1, 2]"
        _read(client, "/api/categories/peripherals/products", "MISS")


@pytest.mark.req(4)
def test_invalidate_endpoint(client, redis_service):
    """POST /api/cache/invalidate deletes the entries of the tags and the tag sets, and counts them."""
    _warm(client)
    response = client.post("/api/cache/invalidate", json={"tags": ["category:displays"]}, headers=ADMIN)
    body = expect_json(response, status=200)
    assert body == {"invalidated": 2}, f'POST /api/cache/invalidate {{"tags": ["category:displays"]}} answered {body}; expected {{"invalidated": 2}} (product:2 and category:displays; tag sets are not counted)'
    r = redis_service.client()
    assert r.get("product:2") is None and r.get("category:displays") is None, "after invalidating category:displays, product:2 or category:displays is still cached"
    assert not r.exists("tag:category:displays"), "after invalidating category:displays, the set tag:category:displays still exists; delete it too"
    _read(client, "/api/products/1", "HIT")
    _read(client, "/api/products", "HIT")
    body = expect_json(client.post("/api/cache/invalidate", json={"tags": ["product:1", "category:nothing"]}, headers=ADMIN), status=200)
    assert body == {"invalidated": 3}, f'POST /api/cache/invalidate {{"tags": ["product:1", "category:nothing"]}} answered {body}; expected {{"invalidated": 3}} (product:1, category:peripherals, products:all; an unknown tag adds 0)'
    body = expect_json(client.post("/api/cache/invalidate", json={"tags": ["product:1"]}, headers=ADMIN), status=200)
    assert body == {"invalidated": 0}, f"invalidating product:1 a second time answered {body}; expected {{'invalidated': 0}}"
    _read(client, "/api/products/3", "MISS")
    r.delete("product:3")  # the entry expired; its tag set (which lives longer) still lists it
    body = expect_json(client.post("/api/cache/invalidate", json={"tags": ["product:3"]}, headers=ADMIN), status=200)
    with about(hint="Count what DEL answers (the number of keys it removed), not the number of keys listed in the tag sets."):
        assert body == {"invalidated": 0}, (
            f'the entry product:3 had expired (gone from Redis) while the set tag:product:3 still listed it; POST /api/cache/invalidate '
            f'{{"tags": ["product:3"]}} answered {body}; expected {{"invalidated": 0}}: count the entries that existed and were deleted, '
            "not the keys the tag sets list"
        )


BAD = [
    ("no tags field", {}),
    ("tags not a list", {"tags": "product:1"}),
    ("an empty list", {"tags": []}),
    ("an empty tag", {"tags": [""]}),
    ("a number as tag", {"tags": [1]}),
    ("101 tags", {"tags": [f"product:{i}" for i in range(101)]}),
    ("an extra field", {"tags": ["product:1"], "all": True}),
]


@pytest.mark.req(5)
def test_invalidate_needs_token_and_valid_body(app, client, redis_service):
    """401 without the admin token (nothing deleted); 400 for a bad body."""
    _warm(client)
    for headers, what in (({}, "no X-Admin-Token"), ({"X-Admin-Token": "nope"}, "a wrong X-Admin-Token")):
        response = client.post("/api/cache/invalidate", json={"tags": ["product:1"]}, headers=headers)
        body = expect_json(response, status=401, msg=f"POST /api/cache/invalidate with {what} must be refused.")
        assert isinstance(body, dict) and isinstance(body.get("error"), str), f'a refused invalidation should answer {{"error": "..."}}, got {body}'
    assert redis_service.client().get("product:1") is not None, "a refused POST /api/cache/invalidate deleted product:1"
    for what, payload in BAD:
        response = client.post("/api/cache/invalidate", json=payload, headers=ADMIN)
        body = expect_json(response, status=400, msg=f"POST /api/cache/invalidate with {what} must answer 400.")
        assert isinstance(body, dict) and isinstance(body.get("error"), str), f'POST /api/cache/invalidate with {what} should answer {{"error": "..."}}, got {body}'
    app.config["ADMIN_TOKEN"] = None
    response = client.post("/api/cache/invalidate", json={"tags": ["product:1"]})
    expect_status(response, 401, msg="With no ADMIN_TOKEN configured, POST /api/cache/invalidate must be refused.")
