"""Checks for ec-payments: checkout saves a pending order, then creates a payment intent at the
payment provider (a stand-in HTTP server on 127.0.0.1 started by these checks) with the API key,
integer cents and a timeout; never any card data; 502/504 when the provider fails.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import json
import socket
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from flask_tutor_pytest.helpers import about

PASSWORD = "correct-horse-42"
CARD_NUMBER = "4242424242424242"
ORDER_KEYS = {"id", "status", "total_cents", "payment_id", "items"}
ITEM_KEYS = {"product_id", "name", "price_cents", "quantity"}


class Provider:
    """A stand-in payment provider. `script` holds what the next requests get, in turn (then a
    normal 200): an int status, ("slow", seconds) or "not-json". Records every request."""

    def __init__(self, api_key):
        self.api_key = api_key
        self.script = []
        self.received = []  # (method, path, headers, body bytes)
        self.closing = threading.Event()
        self.lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with provider.lock:
                    provider.received.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                    number = len(provider.received)
                    step = provider.script.pop(0) if provider.script else 200
                if isinstance(step, tuple):  # ("slow", seconds): answer late
                    provider.closing.wait(step[1])
                    step = 200
                if step == "not-json":
                    status, answer = 200, b"<html>Service unavailable</html>"
                elif step == 200 and self.headers.get("Authorization") != f"Bearer {provider.api_key}":
                    status, answer = 401, json.dumps({"error": "invalid API key"}).encode()
                elif step == 200:
                    intent = f"pi_{number}_{uuid.uuid4().hex[:8]}"
                    status = 200
                    answer = json.dumps({"id": intent, "client_secret": f"{intent}_secret_{uuid.uuid4().hex[:12]}", "status": "requires_payment_method"}).encode()
                else:
                    status, answer = step, json.dumps({"error": "provider failure"}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json" if step != "not-json" else "text/html")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the app stopped waiting (its timeout)

            do_POST = do_GET = do_PUT = _any

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def intents(self):
        return [json.loads(r[3] or b"null") for r in self.received]

    def close(self):
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider(app):
    p = Provider(api_key=f"sk_test_{uuid.uuid4().hex}")
    app.config.update(PAYMENT_PROVIDER_URL=p.url, PAYMENT_API_KEY=p.api_key, PAYMENT_TIMEOUT=2)
    yield p
    p.close()


def _closed_port_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _json(response, what):
    assert response.is_json, (
        f"{what} should answer JSON, got Content-Type {response.content_type!r} (status {response.status_code}): "
        f"{response.get_data(as_text=True)[:200]}"
    )
    return response.get_json()


def _error(response, what):
    body = _json(response, what)
    assert isinstance(body, dict) and isinstance(body.get("error"), str), f'{what} should say why in {{"error": "..."}}, got {body}'
    return body


def _register_login(client, username):
    response = client.post("/api/auth/register", json={"username": username, "password": PASSWORD})
    assert response.status_code == 201, f"POST /api/auth/register (given) should answer 201, got {response.status_code}"
    response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, f"POST /api/auth/login should answer 200, got {response.status_code}"


def _shop(client, db_inspect, user="alice_1", cart=((1999, 5, 2), (450, 10, 3))):
    """Products (price, stock) made by an administrator; `user` logged in with quantities in the cart."""
    _register_login(client, "admin_1")
    db_inspect.execute('UPDATE "user" SET is_admin = :yes WHERE username = :name', {"yes": True, "name": "admin_1"})
    client.post("/api/auth/login", json={"username": "admin_1", "password": PASSWORD})
    ids = []
    for number, (price, stock, _quantity) in enumerate(cart):
        response = client.post("/api/products", json={"name": f"Product {number + 1}", "price_cents": price, "stock": stock})
        assert response.status_code == 201, f"POST /api/products (stage 1) should answer 201, got {response.status_code}"
        ids.append(response.get_json()["id"])
    client.post("/api/auth/logout")
    _register_login(client, user)
    for product_id, (_price, _stock, quantity) in zip(ids, cart):
        response = client.put(f"/api/cart/items/{product_id}", json={"quantity": quantity})
        assert response.status_code == 200, f"PUT /api/cart/items/{product_id} (stage 2) should answer 200, got {response.status_code}"
    return ids


def _set_stock(db_inspect, product_id, stock):
    """Change a product's stock behind the API's back (the products table of stage 1)."""
    [table] = [t for t in db_inspect.tables() if "product" in t.lower() and "stock" in db_inspect.columns(t)]
    db_inspect.execute(f'UPDATE "{table}" SET stock = :stock WHERE id = :id', {"stock": stock, "id": product_id})


def _cart(client):
    return {i["product_id"]: i["quantity"] for i in _json(client.get("/api/cart"), "GET /api/cart")["items"]}


def _orders_in_db(db_inspect):
    return sum(db_inspect.count(t) for t in db_inspect.tables() if "order" in t.lower() and "item" not in t.lower())


def _checkout(client, status, what, **kwargs):
    response = client.post("/api/checkout", **kwargs)
    assert response.status_code == status, (
        f"POST /api/checkout {what} should answer {status}, got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    )
    return response


def _order(client, order_id):
    response = client.get(f"/api/orders/{order_id}")
    with about(hint="Write `@bp.get(\"/orders/<int:order_id>\")` in checkout.py, for the owner only."):
        assert response.status_code == 200, f"GET /api/orders/{order_id} (the user's own order) should answer 200, got {response.status_code}"
    return _json(response, f"GET /api/orders/{order_id}")


@pytest.mark.req(1)
def test_login_required(client, provider):
    """Checkout and orders answer 401 when nobody is logged in"""
    for method, url in (("post", "/api/checkout"), ("get", "/api/orders/1")):
        response = getattr(client, method)(url)
        with about(hint="Put `@login_required` (from auth.py) under the route decorators."):
            assert response.status_code == 401, f"{method.upper()} {url} without logging in should answer 401, got {response.status_code}"
        _error(response, "The 401")
    assert provider.received == [], "nothing should be sent to the provider for a guest"


@pytest.mark.req(2)
def test_no_card_data(client, db_inspect, provider):
    """A body with card data answers 400, creates no order, calls no provider, stores nothing of the card"""
    _shop(client, db_inspect)
    for body in (
        {"card_number": CARD_NUMBER, "cvc": "987"},
        {"card": {"number": CARD_NUMBER, "exp": "12/30", "cvc": "987"}},
        {"cvc": "987"},
    ):
        response = _checkout(client, 400, f"with card data {body}", json=body)
        _error(response, "The 400 for card data")
    _checkout(client, 400, "with a body that is not a JSON object", json=[1, 2])
    with about(hint="Refuse card data before anything else: the card is paid at the provider, with the client secret."):
        assert _orders_in_db(db_inspect) == 0, "a checkout refused for card data must create no order"
        assert provider.received == [], f"a checkout refused for card data must call no provider, it sent {provider.intents()}"
    for table in db_inspect.tables():
        assert not any(("card" in c.lower() or "cvc" in c.lower()) for c in db_inspect.columns(table)), (
            f"table {table!r} has a card column {db_inspect.columns(table)}: never store card data"
        )
        for row in db_inspect.rows(table):
            assert CARD_NUMBER not in json.dumps(row, default=str), f"the card number was stored in table {table!r}: never store card data"


@pytest.mark.req(3)
def test_empty_cart_and_stock(client, db_inspect, provider):
    """An empty cart answers 400, a quantity over the stock 409; no order, no provider call"""
    _register_login(client, "bob_22")
    _error(_checkout(client, 400, "with an empty cart"), "The 400 for an empty cart")
    client.post("/api/auth/logout")
    first, _second = _shop(client, db_inspect)
    _set_stock(db_inspect, first, 1)
    with about(hint="Before creating the order, compare each line's quantity with `product.stock`."):
        _error(_checkout(client, 409, "when a cart line (2) is more than the product's stock (now 1)"), "The 409")
    assert _orders_in_db(db_inspect) == 0, "a refused checkout must create no order"
    assert provider.received == [], f"a refused checkout must call no provider, it sent {provider.intents()}"


@pytest.mark.req(4)
def test_payment_intent_request(client, db_inspect, provider):
    """One POST to /v1/payment_intents with the API key and {"amount": integer cents, "currency", "order_id"}"""
    _shop(client, db_inspect)
    response = client.post("/api/checkout")
    with about(hint="After committing the order, POST to current_app.config[\"PAYMENT_PROVIDER_URL\"] + \"/v1/payment_intents\"."):
        assert len(provider.received) == 1, f"POST /api/checkout should make exactly one request to the provider, it made {len(provider.received)}"
    method, path, headers, raw = provider.received[0]
    assert (method, path) == ("POST", "/v1/payment_intents"), f"the provider should get POST /v1/payment_intents, got {method} {path}"
    with about(hint="Send `Authorization: Bearer <PAYMENT_API_KEY>`, the key read from current_app.config."):
        assert headers.get("authorization") == f"Bearer {provider.api_key}", (
            f"the request to the provider should carry Authorization: Bearer <app.config['PAYMENT_API_KEY']>, got {headers.get('authorization')!r}"
        )
    assert (headers.get("content-type") or "").startswith("application/json"), f"the request should have Content-Type: application/json, got {headers.get('content-type')!r}"
    sent = json.loads(raw or b"null")
    order_id = (response.get_json(silent=True) or {}).get("order", {}).get("id") if response.status_code == 201 else None
    expected = {"amount": 2 * 1999 + 3 * 450, "currency": "eur", "order_id": order_id}
    with about(hint="Send the total in integer cents: `order.total_cents`, never divided by 100."):
        assert isinstance(sent, dict) and type(sent.get("amount")) is int and sent.get("amount") == expected["amount"], (
            f"the provider should get the amount as the integer 5348 (cents of 2 x 19.99 + 3 x 4.50), got {sent}"
        )
    assert sent == expected, f"the provider should get exactly {expected}, got {sent}"


@pytest.mark.req(4, 5)
def test_checkout_succeeds(client, db_inspect, provider):
    """201 with the pending order (payment_id from the provider) and the client secret; the cart is emptied"""
    first, second = _shop(client, db_inspect)
    response = _checkout(client, 201, "with a full cart and a working provider")
    body = _json(response, "POST /api/checkout")
    assert isinstance(body, dict) and set(body) == {"order", "client_secret"}, f'the checkout should answer {{"order": ..., "client_secret": ...}}, got {body}'
    order = body["order"]
    assert isinstance(order, dict) and set(order) == ORDER_KEYS, f"the order should have exactly the keys {sorted(ORDER_KEYS)}, got {order}"
    assert order["status"] == "pending" and order["total_cents"] == 5348, f"the new order should be pending with total_cents 5348, got {order}"
    assert isinstance(order["payment_id"], str) and order["payment_id"].startswith("pi_1_"), (
        f"the order's payment_id should be the id the provider answered (pi_1_...), got {order['payment_id']!r}"
    )
    assert body["client_secret"].startswith(order["payment_id"] + "_secret_"), f"client_secret should be the provider's, got {body['client_secret']!r}"
    assert order["items"] == [
        {"product_id": first, "name": "Product 1", "price_cents": 1999, "quantity": 2},
        {"product_id": second, "name": "Product 2", "price_cents": 450, "quantity": 3},
    ], f"the order's items should copy the cart lines by product id with name and price, got {order['items']}"
    assert _order(client, order["id"]) == order, "GET /api/orders/<id> should answer the same order"
    with about(hint="After storing the payment id, delete the user's CartItem rows and commit."):
        assert _cart(client) == {}, "after a successful checkout the cart should be empty"


@pytest.mark.req(6)
def test_provider_failures(client, db_inspect, provider, app):
    """A 5xx, a 4xx, an answer that is not JSON or a refused connection: 502, the order pending, the cart kept"""
    _shop(client, db_inspect)
    cart = _cart(client)
    for step, what in ((500, "answers 500"), (400, "answers 400"), ("not-json", "answers HTML instead of JSON")):
        provider.script = [step]
        response = client.post("/api/checkout")
        with about(hint="Catch urllib.error.HTTPError (and ValueError for a body that is not JSON) and answer 502 with the order's id."):
            assert response.status_code == 502, f"when the provider {what}, POST /api/checkout should answer 502, got {response.status_code}"
        body = _error(response, "The 502")
        assert isinstance(body.get("order_id"), int), f'the 502 should name the pending order in "order_id", got {body}'
        order = _order(client, body["order_id"])
        assert order["status"] == "pending" and order["payment_id"] is None, (
            f"after the provider failed the order should stay pending with payment_id null, got {order}"
        )
        assert _cart(client) == cart, f"after the provider failed the cart should be left as it was ({cart}), got {_cart(client)}"
    app.config["PAYMENT_PROVIDER_URL"] = _closed_port_url()
    response = client.post("/api/checkout")
    with about(hint="Catch urllib.error.URLError (connection refused) too."):
        assert response.status_code == 502, f"when the provider cannot be reached, POST /api/checkout should answer 502, got {response.status_code}"
    assert _order(client, _error(response, "The 502")["order_id"])["status"] == "pending", "the order should stay pending"


@pytest.mark.req(7)
def test_provider_timeout(client, db_inspect, provider, app):
    """A provider slower than PAYMENT_TIMEOUT: 504 in time, the order pending, the cart kept"""
    _shop(client, db_inspect)
    cart = _cart(client)
    app.config["PAYMENT_TIMEOUT"] = 0.5
    provider.script = [("slow", 4)]
    started = time.monotonic()
    response = client.post("/api/checkout")
    took = time.monotonic() - started
    with about(hint="Pass `timeout=current_app.config[\"PAYMENT_TIMEOUT\"]` to urlopen and answer 504 on TimeoutError."):
        assert took < 2.5, f"the provider did not answer for 4 s and PAYMENT_TIMEOUT is 0.5 s, but the checkout waited {took:.1f} s: pass a timeout"
        assert response.status_code == 504, f"when the provider is slower than PAYMENT_TIMEOUT, POST /api/checkout should answer 504, got {response.status_code}"
    body = _error(response, "The 504")
    assert isinstance(body.get("order_id"), int), f'the 504 should name the pending order in "order_id", got {body}'
    order = _order(client, body["order_id"])
    assert order["status"] == "pending" and order["payment_id"] is None, f"after a timeout the order should stay pending with payment_id null, got {order}"
    assert _cart(client) == cart, "after a timeout the cart should be left as it was"


@pytest.mark.req(8)
def test_orders_are_private(client, db_inspect, provider):
    """Another user's order and an unknown id answer 404"""
    _shop(client, db_inspect)
    order = _json(_checkout(client, 201, "with a full cart"), "POST /api/checkout")["order"]
    assert _order(client, order["id"])["id"] == order["id"], "alice should see her order"
    client.post("/api/auth/logout")
    _register_login(client, "bob_22")
    response = client.get(f"/api/orders/{order['id']}")
    with about(hint="Look the order up by id AND the logged-in user's id."):
        assert response.status_code == 404, f"bob's GET /api/orders/{order['id']} (alice's order) should answer 404, got {response.status_code}"
    _error(response, "The 404")
    assert client.get("/api/orders/9999").status_code == 404, "GET /api/orders/9999 (no such order) should answer 404"
