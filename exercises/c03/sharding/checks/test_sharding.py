"""Checks for c03-sharding: orders routed by customer_id % 3 over the binds shard0..shard2.
The checks open the three databases themselves, from the app's SQLALCHEMY_BINDS, to see where
each order was stored and to plant rows on the wrong shard. Each check names the brief's
numbered requirements it covers (@pytest.mark.req)."""
import pytest
from sqlalchemy import create_engine, text

from flask_tutor_pytest.helpers import about

SHARDS = ("shard0", "shard1", "shard2")
ROUTING_HINT = "Open the session of shard `customer_id % 3`: `Session(db.engines[f\"shard{customer_id % 3}\"])`."


class Shards:
    def __init__(self, app):
        binds = app.config.get("SQLALCHEMY_BINDS") or {}
        missing = [name for name in SHARDS if name not in binds]
        assert not missing, (
            f'app.config["SQLALCHEMY_BINDS"] needs the entries {list(SHARDS)} (the shards\' URLs); {missing} '
            "are missing. Keep the starter's three binds."
        )
        self.engines = {name: create_engine(binds[name]) for name in SHARDS}

    def orders(self, name):
        with self.engines[name].connect() as conn:
            rows = conn.execute(text('SELECT id, customer_id, item, amount_cents FROM "order" ORDER BY id'))
            return [dict(row._mapping) for row in rows]

    def where(self, customer_id, item):
        """The shards holding the order of this customer and item."""
        return [name for name in SHARDS
                if any(o["customer_id"] == customer_id and o["item"] == item for o in self.orders(name))]

    def plant(self, name, order_id, customer_id, item, amount_cents=100):
        with self.engines[name].begin() as conn:
            conn.execute(
                text('INSERT INTO "order" (id, customer_id, item, amount_cents) VALUES (:id, :c, :item, :amount)'),
                {"id": order_id, "c": customer_id, "item": item, "amount": amount_cents},
            )

    def close(self):
        for engine in self.engines.values():
            engine.dispose()


@pytest.fixture
def shards(app):
    found = Shards(app)
    yield found
    found.close()


def _create(client, customer_id, item, amount_cents):
    response = client.post(f"/api/customers/{customer_id}/orders", json={"item": item, "amount_cents": amount_cents})
    assert response.status_code == 201, (
        f"POST /api/customers/{customer_id}/orders with item {item!r} and amount_cents {amount_cents} should answer "
        f"201, got {response.status_code}: {response.get_data(as_text=True)[:200]!r}"
    )
    body = response.get_json(silent=True)
    expected = {"customer_id": customer_id, "item": item, "amount_cents": amount_cents}
    assert isinstance(body, dict) and isinstance(body.get("id"), int) and {k: body.get(k) for k in expected} == expected, (
        f"POST /api/customers/{customer_id}/orders should answer the order "
        f'{{"id": <int>, "customer_id": {customer_id}, "item": {item!r}, "amount_cents": {amount_cents}}}, got {body!r}'
    )
    return body


def _items(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} should answer 200, got {response.status_code}: {response.get_data(as_text=True)[:200]!r}"
    items = (response.get_json(silent=True) or {}).get("items")
    assert isinstance(items, list), f'GET {url} should answer {{"items": [...]}}, got {response.get_data(as_text=True)[:200]!r}'
    return items


def _sorted(orders):
    return sorted(orders, key=lambda o: (-o["amount_cents"], o["customer_id"], o["id"]))


def _brief(orders):
    return [(o.get("customer_id"), o.get("id"), o.get("amount_cents")) for o in orders]


@pytest.mark.req(1)
def test_create_goes_to_the_customers_shard(client, shards):
    """POST stores each order on shard customer_id % 3, and only there"""
    for customer_id in (5, 3, 4, 9, 0):
        item = f"order of customer {customer_id}"
        _create(client, customer_id, item, 250)
        expected = f"shard{customer_id % 3}"
        found = shards.where(customer_id, item)
        with about(hint=ROUTING_HINT, blame="app.py:shard_session"):
            assert found == [expected], (
                f"POST /api/customers/{customer_id}/orders should store the order on {expected} "
                f"(customer_id % 3 = {customer_id % 3}) and nowhere else; it is on {found or 'no shard'}."
            )


@pytest.mark.req(2)
def test_invalid_orders_are_refused(client, shards):
    """Missing, blank or non-string item, missing, negative or non-integer amount_cents: 400, nothing stored"""
    bad = (
        {}, {"amount_cents": 5}, {"item": "   ", "amount_cents": 5}, {"item": 7, "amount_cents": 5},
        {"item": "tea"}, {"item": "tea", "amount_cents": -1}, {"item": "tea", "amount_cents": 2.5},
        {"item": "tea", "amount_cents": "5"}, {"item": "tea", "amount_cents": True},
    )
    for body in bad:
        response = client.post("/api/customers/4/orders", json=body)
        assert response.status_code == 400, f"POST /api/customers/4/orders with {body} should answer 400, got {response.status_code}"
        assert isinstance(response.get_json(silent=True), dict), (
            f"the 400 answer to {body} should be a JSON object, got {response.get_data(as_text=True)[:200]!r}"
        )
    stored = {name: shards.orders(name) for name in SHARDS}
    assert not any(stored.values()), f"invalid orders must not be stored, the shards hold {stored}"
    _create(client, 4, "free sample", 0)  # 0 is allowed


@pytest.mark.req(3)
def test_customer_list_reads_its_shard_only(client, shards):
    """GET /api/customers/<id>/orders: the customer's orders by id, from its own shard only"""
    first = _create(client, 4, "tea", 450)
    _create(client, 7, "coffee", 300)  # another customer on the same shard (shard1)
    second = _create(client, 4, "cake", 900)
    shards.plant("shard0", 800, 4, "misplaced on shard0")
    shards.plant("shard2", 801, 4, "misplaced on shard2")
    items = _items(client, "/api/customers/4/orders")
    expected = [first, second]
    with about(hint="Read the customer's orders with one query on its own shard: `select(Order).where(Order.customer_id == "
                    "customer_id).order_by(Order.id)` in the session of shard `customer_id % 3`."):
        assert [o.get("item") for o in items] == [o["item"] for o in expected], (
            "GET /api/customers/4/orders should list customer 4's orders on shard1 in id order, ['tea', 'cake'], "
            f"and not the rows planted for customer 4 on shard0 and shard2; got {[o.get('item') for o in items]}."
        )
    assert items == expected, f"GET /api/customers/4/orders should answer the orders as created, {expected}; got {items}"
    assert _items(client, "/api/customers/10/orders") == [], "a customer without orders should get an empty list"


@pytest.mark.req(4)
def test_one_order_of_the_customer(client, shards):
    """GET /api/customers/<c>/orders/<id>: 200 from the customer's shard, 404 for another customer or shard"""
    mine = _create(client, 4, "tea", 450)
    url = f"/api/customers/4/orders/{mine['id']}"
    response = client.get(url)
    assert response.status_code == 200 and response.get_json(silent=True) == mine, (
        f"GET {url} should answer 200 with {mine}, got {response.status_code}: {response.get_data(as_text=True)[:200]!r}"
    )
    other = f"/api/customers/7/orders/{mine['id']}"  # customer 7 is on shard1 too
    with about(hint="Found the row? Check that it belongs to the customer of the URL: `order.customer_id == customer_id`."):
        response = client.get(other)
        assert response.status_code == 404, (
            f"GET {other} should answer 404: order {mine['id']} on shard1 is customer 4's, not customer 7's; "
            f"got {response.status_code}."
        )
    shards.plant("shard2", 950, 4, "misplaced on shard2")
    with about(hint=ROUTING_HINT):
        response = client.get("/api/customers/4/orders/950")
        assert response.status_code == 404, (
            "GET /api/customers/4/orders/950 should answer 404: order 950 of customer 4 was planted on shard2, "
            f"but customer 4 lives on shard1 (4 % 3 = 1), the only shard to read; got {response.status_code}."
        )
    assert client.get("/api/customers/4/orders/999").status_code == 404, "an unknown order id should answer 404"


@pytest.mark.req(5)
def test_all_orders_merged_and_sorted(client, shards):
    """GET /api/orders: every shard, merged, amount descending then customer then id, cut to limit"""
    created = [
        _create(client, 7, "vase", 950), _create(client, 2, "sofa", 700), _create(client, 3, "pen", 100),
        _create(client, 4, "desk", 700), _create(client, 5, "cup", 50), _create(client, 6, "bed", 900),
        _create(client, 6, "rug", 900), _create(client, 2, "mug", 120), _create(client, 1, "lamp", 950),
    ]  # ties: 950 for customers 7 and 1 (both on shard1, 1 has the higher id), 900 twice for customer 6
    expected = _sorted(created)
    with about(hint="Ask all three shards, then sort the combined rows again: "
                    "`key=lambda o: (-o[\"amount_cents\"], o[\"customer_id\"], o[\"id\"])`."):
        items = _items(client, "/api/orders")
        assert _brief(items) == _brief(expected), (
            "GET /api/orders should list the orders of all shards as (customer_id, id, amount_cents), by amount "
            f"descending, then customer, then id: {_brief(expected)}; got {_brief(items)}."
        )
        assert items == expected, f"GET /api/orders should answer the orders as created; got {items}"
        for limit in (3, 2, 1):
            items = _items(client, f"/api/orders?limit={limit}")
            assert _brief(items) == _brief(expected[:limit]), (
                f"GET /api/orders?limit={limit} should answer the first {limit} of the merged, sorted orders, "
                f"{_brief(expected[:limit])}; got {_brief(items)}."
            )


@pytest.mark.req(5)
def test_default_limit_is_20(client, shards):
    """GET /api/orders without limit: the first 20 of all shards"""
    created = [_create(client, customer_id, f"item {n}", 10 * n) for n, customer_id in enumerate(range(1, 24))]
    expected = _sorted(created)
    items = _items(client, "/api/orders")
    assert _brief(items) == _brief(expected[:20]), (
        f"with 23 orders, GET /api/orders should answer the first 20 (the default limit) of all shards, "
        f"{_brief(expected[:20])}; got {len(items)}: {_brief(items)}."
    )
    assert _brief(_items(client, "/api/orders?limit=100")) == _brief(expected), "limit=100 should answer all 23 orders"


@pytest.mark.req(6)
def test_bad_limit_is_400(client, shards):
    """limit outside 1..100 or not an integer: 400 with a JSON object"""
    for limit in ("0", "101", "abc", "-1", "2.5"):
        response = client.get(f"/api/orders?limit={limit}")
        with about(hint="Read `limit` yourself: `int()` in a `try`, then check 1 <= limit <= 100 and `abort(400)`; "
                        "`request.args.get(..., type=int)` silently falls back to the default."):
            assert response.status_code == 400, f"GET /api/orders?limit={limit} should answer 400, got {response.status_code}"
        assert isinstance(response.get_json(silent=True), dict), (
            f"the 400 answer to limit={limit!r} should be a JSON object, got {response.get_data(as_text=True)[:200]!r}"
        )
    for limit in ("1", "100"):
        assert client.get(f"/api/orders?limit={limit}").status_code == 200, f"GET /api/orders?limit={limit} should answer 200"
