"""Checks for ec-products: the catalogue (list, get, create by administrators), prices in integer
cents, stock never negative, 400s and 404s in JSON.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

from flask_tutor_pytest.helpers import about

PRODUCTS = "/api/products"
PASSWORD = "correct-horse-42"
TEA_POT = {"name": "Tea pot", "price_cents": 1999, "stock": 5}
KEYS = {"id", "name", "price_cents", "stock"}


def _json(response, what):
    assert response.is_json, (
        f"{what} should answer JSON, got Content-Type {response.content_type!r} (status {response.status_code})"
    )
    return response.get_json()


def _error(response, what):
    body = _json(response, what)
    assert isinstance(body, dict) and isinstance(body.get("error"), str), f'{what} should say why in {{"error": "..."}}, got {body}'
    return body


def _login(client, db_inspect, username, admin=False):
    response = client.post("/api/auth/register", json={"username": username, "password": PASSWORD})
    assert response.status_code == 201, f"POST /api/auth/register (given in auth.py) should answer 201, got {response.status_code}"
    if admin:
        db_inspect.execute('UPDATE "user" SET is_admin = :yes WHERE username = :name', {"yes": True, "name": username})
    response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, f"POST /api/auth/login (given in auth.py) should answer 200, got {response.status_code}"


def _create(client, product):
    response = client.post(PRODUCTS, json=product)
    with about(hint="Write `@bp.post(\"\")` under `@admin_required` in products.py: validate, save, `return product.to_dict(), 201`."):
        assert response.status_code == 201, (
            f"POST {PRODUCTS} by an administrator with {product} should answer 201, got {response.status_code}: "
            f"{response.get_data(as_text=True)[:200]}"
        )
    body = _json(response, f"POST {PRODUCTS}")
    assert isinstance(body, dict) and set(body) == KEYS, f"a product should be answered with exactly the keys {sorted(KEYS)}, got {body}"
    return body


def _count_products(db_inspect):
    return sum(db_inspect.count(t) for t in db_inspect.tables() if "product" in t.lower())


@pytest.mark.req(1)
def test_list_products(client, db_inspect):
    """GET /api/products answers every product, by id"""
    response = client.get(PRODUCTS)
    with about(hint="Write `@bp.get(\"\")` in products.py answering `{\"products\": [...]}`."):
        assert response.status_code == 200, f"GET {PRODUCTS} should answer 200, got {response.status_code}"
    assert _json(response, f"GET {PRODUCTS}") == {"products": []}, f"with no products, GET {PRODUCTS} should answer {{'products': []}}"
    _login(client, db_inspect, "admin_1", admin=True)
    made = [_create(client, p) for p in (TEA_POT, {"name": "Cup", "price_cents": 450, "stock": 0}, {"name": "Kettle", "price_cents": 3500, "stock": 2})]
    client.post("/api/auth/logout")
    listed = _json(client.get(PRODUCTS), f"GET {PRODUCTS}")
    assert listed == {"products": made}, f"GET {PRODUCTS} (logged out) should answer every product by id: {made}, got {listed}"


@pytest.mark.req(2)
def test_get_product(client, db_inspect):
    """GET /api/products/<id> answers the product, 404 for an unknown id"""
    _login(client, db_inspect, "admin_1", admin=True)
    made = _create(client, TEA_POT)
    client.post("/api/auth/logout")
    response = client.get(f"{PRODUCTS}/{made['id']}")
    assert response.status_code == 200, f"GET {PRODUCTS}/{made['id']} should answer 200, got {response.status_code}"
    assert _json(response, "GET one product") == made, f"GET {PRODUCTS}/{made['id']} should answer {made}"
    response = client.get(f"{PRODUCTS}/9999")
    assert response.status_code == 404, f"GET {PRODUCTS}/9999 (no such product) should answer 404, got {response.status_code}"
    _error(response, "The 404")


@pytest.mark.req(3)
def test_create_needs_an_administrator(client, db_inspect):
    """POST /api/products: 401 when logged out, 403 for a user who is not an administrator, nothing saved"""
    response = client.post(PRODUCTS, json=TEA_POT)
    assert response.status_code == 401, f"POST {PRODUCTS} without logging in should answer 401, got {response.status_code}"
    _error(response, "The 401")
    _login(client, db_inspect, "bob_2")
    response = client.post(PRODUCTS, json=TEA_POT)
    with about(hint="Put `@admin_required` (from auth.py) under `@bp.post(\"\")`."):
        assert response.status_code == 403, f"POST {PRODUCTS} by a user who is not an administrator should answer 403, got {response.status_code}"
    _error(response, "The 403")
    assert _count_products(db_inspect) == 0, "a refused POST must save nothing"


@pytest.mark.req(4)
def test_create_product(client, db_inspect):
    """An administrator creates a product: 201, the name trimmed, stock 0 by default"""
    _login(client, db_inspect, "admin_1", admin=True)
    body = _create(client, {"name": "  Tea pot  ", "price_cents": 1999, "stock": 5})
    assert isinstance(body["id"], int), f'the new product should have an integer "id", got {body}'
    assert body == {"id": body["id"], "name": "Tea pot", "price_cents": 1999, "stock": 5}, (
        f"POST {PRODUCTS} should answer the product with its name trimmed, got {body}"
    )
    body = _create(client, {"name": "Cup", "price_cents": 0})
    assert body["stock"] == 0 and body["price_cents"] == 0, f"without stock it should default to 0 (and a price of 0 is allowed), got {body}"
    stored = _json(client.get(f"{PRODUCTS}/{body['id']}"), "GET the new product")
    assert stored == body, f"GET {PRODUCTS}/{body['id']} should answer the saved product {body}, got {stored}"


@pytest.mark.req(5)
def test_validation(client, db_inspect):
    """Invalid names, prices (floats, strings, booleans, negatives) and stocks answer 400 and save nothing"""
    _login(client, db_inspect, "admin_1", admin=True)
    _create(client, {"name": "n" * 100, "price_cents": 100_000_000, "stock": 1_000_000})
    bad = [
        ({"name": "Tea pot", "price_cents": 19.99}, "the float price 19.99"),
        ({"name": "Tea pot", "price_cents": 1999.0}, "the float price 1999.0"),
        ({"name": "Tea pot", "price_cents": "1999"}, 'the string price "1999"'),
        ({"name": "Tea pot", "price_cents": True}, "the price true"),
        ({"name": "Tea pot", "price_cents": -1}, "the price -1"),
        ({"name": "Tea pot", "price_cents": 100_000_001}, "the price 100000001"),
        ({"name": "Tea pot"}, "no price"),
        ({"price_cents": 1999}, "no name"),
        ({"name": "   ", "price_cents": 1999}, "a name of spaces"),
        ({"name": "n" * 101, "price_cents": 1999}, "a 101-character name"),
        ({"name": 42, "price_cents": 1999}, "a name that is not a string"),
        ({"name": "Tea pot", "price_cents": 1999, "stock": -1}, "the stock -1"),
        ({"name": "Tea pot", "price_cents": 1999, "stock": 2.5}, "the stock 2.5"),
        ({"name": "Tea pot", "price_cents": 1999, "stock": "5"}, 'the stock "5"'),
        ({"name": "Tea pot", "price_cents": 1999, "stock": 1_000_001}, "the stock 1000001"),
        (["Tea pot", 1999], "a JSON list"),
    ]
    for data, what in bad:
        response = client.post(PRODUCTS, json=data)
        with about(hint="Accept only `isinstance(value, int) and not isinstance(value, bool)` for price_cents and stock, then check the range."):
            assert response.status_code == 400, f"POST {PRODUCTS} with {what} should answer 400, got {response.status_code}"
        _error(response, f"The 400 for {what}")
    response = client.post(PRODUCTS, data="{not json", content_type="application/json")
    assert response.status_code == 400, f"POST {PRODUCTS} with a body that is not JSON should answer 400, got {response.status_code}"
    assert _count_products(db_inspect) == 1, "a refused POST must save nothing (only the valid product should be in the database)"


@pytest.mark.req(6)
def test_price_is_stored_in_integer_cents(client, db_inspect):
    """The product's row holds the integer 1999 in an integer column"""
    _login(client, db_inspect, "admin_1", admin=True)
    _create(client, {"name": "Tea pot", "price_cents": 1999, "stock": 5})
    found = []
    for table in db_inspect.tables():
        types = {c["name"]: c["type"].upper() for c in db_inspect.column_info(table)}
        for row in db_inspect.rows(table):
            for column, value in row.items():
                if value in (1999, "1999", 19.99, "19.99") and not isinstance(value, bool):
                    found.append((table, column, value, types.get(column, "")))
    assert found, "the price 1999 (or 19.99) was found in no row of the database: save the product"
    for table, column, value, kind in found:
        with about(hint="Declare `price_cents = db.Column(db.Integer, nullable=False)`: never db.Float, db.Numeric or db.String.", blame="models.py:Product"):
            assert isinstance(value, int) and "INT" in kind, (
                f"the price is stored as {value!r} in {table}.{column} (a {kind or 'untyped'} column): "
                "store integer cents (1999) in an integer column, never a float or a string"
            )
