"""Checks for ec-orders: the provider's signed payment callback (HMAC-SHA256 over the exact body,
compared with hmac.compare_digest), processed once per event id so the stock goes down exactly
once; the order's states pending -> paid -> shipped or pending -> cancelled, 409 for illegal moves.
The stand-in provider of stage 3 runs on 127.0.0.1 for the checkout.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import hashlib
import hmac
import json
import secrets
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from flask_tutor_pytest.helpers import about

PASSWORD = "correct-horse-42"
WEBHOOK = "/api/payments/webhook"
SUCCEEDED, FAILED = "payment_intent.succeeded", "payment_intent.payment_failed"


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


@pytest.fixture
def secret(app):
    value = "whsec_" + secrets.token_hex(16)
    app.config["PAYMENT_WEBHOOK_SECRET"] = value  # the brief: read when the event arrives
    return value


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


def _product(client, product_id):
    return _json(client.get(f"/api/products/{product_id}"), f"GET /api/products/{product_id}")


def _stocks(client, ids):
    return [_product(client, i)["stock"] for i in ids]


def _order(client, order_id):
    response = client.get(f"/api/orders/{order_id}")
    assert response.status_code == 200, f"GET /api/orders/{order_id} (stage 3) should answer 200, got {response.status_code}"
    return _json(response, f"GET /api/orders/{order_id}")


def _checkout(client):
    response = client.post("/api/checkout")
    assert response.status_code == 201, f"POST /api/checkout (stage 3) should answer 201, got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    return _json(response, "POST /api/checkout")["order"]


def _paid_order_setup(client, db_inspect):
    """alice's pending order of 2 x product 1 (stock 5) and 3 x product 2 (stock 10)."""
    ids = _shop(client, db_inspect)
    return ids, _checkout(client)


def _body(event_id, event_type, payment_id):
    # Spaces and indentation on purpose: the signature covers these exact bytes.
    return json.dumps({"id": event_id, "type": event_type, "data": {"payment_id": payment_id}}, indent=2).encode()


def _sign(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _send(app, body, signature=None):
    """POST an event from the provider: a new client, without the customer's cookies."""
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Signature"] = signature
    return app.test_client().post(WEBHOOK, data=body, headers=headers)


def _event(app, secret, event_id, event_type, payment_id, status=200, what=None):
    body = _body(event_id, event_type, payment_id)
    response = _send(app, body, _sign(secret, body))
    what = what or f"a correctly signed {event_type} event {event_id!r}"
    assert response.status_code == status, (
        f"POST {WEBHOOK} with {what} should answer {status}, got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    )
    return response


@pytest.mark.req(1)
def test_signature_is_required(client, db_inspect, provider, secret, app):
    """Missing or wrong signatures answer 401 and change nothing; the exact signed bytes are accepted"""
    ids, order = _paid_order_setup(client, db_inspect)
    body = _body("evt_1", SUCCEEDED, order["payment_id"])
    for signature, what in (
        (None, "no X-Signature header"),
        (_sign("whsec_not-the-secret", body), "a signature made with another secret"),
        (_sign(secret, body + b" "), "the signature of other bytes"),
        (_sign(secret, body).replace("sha256=", ""), "a signature without the sha256= prefix"),
        ("sha256=" + "0" * 64, "a made-up signature"),
    ):
        response = _send(app, body, signature)
        with about(hint="Recompute `hmac.new(secret.encode(), request.get_data(), hashlib.sha256).hexdigest()` and compare before anything else."):
            assert response.status_code == 401, f"POST {WEBHOOK} with {what} should answer 401, got {response.status_code}"
        _error(response, "The 401")
    assert _order(client, order["id"])["status"] == "pending", "a refused event must leave the order pending"
    assert _stocks(client, ids) == [5, 10], "a refused event must leave the stock as it was"
    response = _send(app, body, _sign(secret, body))
    with about(hint="Sign the exact bytes of the body: `request.get_data()`, never `json.dumps(request.json)` (other spacing, other bytes)."):
        assert response.status_code == 200, (
            f"POST {WEBHOOK} with the HMAC-SHA256 of the exact body bytes (indented JSON) should answer 200, got "
            f"{response.status_code}: {response.get_data(as_text=True)[:200]}"
        )


@pytest.fixture
def digest_spy(monkeypatch):
    """Record the calls of hmac.compare_digest (and secrets.compare_digest, the same function),
    patched before the app and its modules are loaded."""
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    monkeypatch.setattr(secrets, "compare_digest", spy)
    return calls


@pytest.mark.req(2)
def test_compare_digest(digest_spy, client, db_inspect, provider, secret, app):
    """The signature is compared with hmac.compare_digest"""
    _ids, order = _paid_order_setup(client, db_inspect)
    body = _body("evt_1", SUCCEEDED, order["payment_id"])
    signature = _sign(secret, body)
    digest_spy.clear()
    _send(app, body, signature)
    hexdigest = signature[len("sha256="):]

    def mentions(value):
        if isinstance(value, (bytes, bytearray)):
            value = bytes(value).decode("latin-1")
        return isinstance(value, str) and hexdigest in value

    with about(hint="`hmac.compare_digest(expected, received)` instead of `expected == received`."):
        assert any(mentions(a) or mentions(b) for a, b in digest_spy), (
            "the webhook never called hmac.compare_digest with the signature: compare signatures with "
            "hmac.compare_digest, not ==, which leaks through its timing how much of a forged signature is right"
        )


@pytest.mark.req(3)
def test_malformed_events(client, db_inspect, provider, secret, app):
    """Correctly signed but malformed events answer 400; an unknown payment id 404"""
    ids, order = _paid_order_setup(client, db_inspect)
    pid = order["payment_id"]
    bad = [
        (b"{not json", "a body that is not JSON"),
        (json.dumps([SUCCEEDED]).encode(), "a JSON list"),
        (json.dumps({"type": SUCCEEDED, "data": {"payment_id": pid}}).encode(), "no id"),
        (json.dumps({"id": 17, "type": SUCCEEDED, "data": {"payment_id": pid}}).encode(), "an id that is not a string"),
        (json.dumps({"id": "evt_x", "type": "charge.refunded", "data": {"payment_id": pid}}).encode(), "an unknown type"),
        (json.dumps({"id": "evt_x", "type": SUCCEEDED}).encode(), "no data"),
        (json.dumps({"id": "evt_x", "type": SUCCEEDED, "data": {"payment_id": 5}}).encode(), "a payment_id that is not a string"),
    ]
    for body, what in bad:
        response = _send(app, body, _sign(secret, body))
        with about(hint="Check every field of the event after the signature, before touching the database."):
            assert response.status_code == 400, f"POST {WEBHOOK} with a signed event with {what} should answer 400, got {response.status_code}"
        _error(response, f"The 400 for {what}")
    _error(_event(app, secret, "evt_y", SUCCEEDED, "pi_nobody", 404, "a signed event for a payment_id of no order"), "The 404")
    assert _order(client, order["id"])["status"] == "pending" and _stocks(client, ids) == [5, 10], "malformed events must change nothing"


@pytest.mark.req(4)
def test_payment_succeeded(client, db_inspect, provider, secret, app):
    """payment_intent.succeeded: the order becomes paid and the stock goes down by the quantities"""
    ids, order = _paid_order_setup(client, db_inspect)
    response = _event(app, secret, "evt_1", SUCCEEDED, order["payment_id"])
    assert _json(response, "the webhook") == {"status": "processed"}, f'the webhook should answer {{"status": "processed"}}, got {response.get_json()}'
    assert _order(client, order["id"])["status"] == "paid", "after payment_intent.succeeded the order should be paid"
    with about(hint="For each item of the order: `product.stock -= item.quantity`, in the same commit as the status."):
        assert _stocks(client, ids) == [3, 7], (
            f"the order had 2 of product 1 (stock 5) and 3 of product 2 (stock 10): after the payment the stocks should be [3, 7], got {_stocks(client, ids)}"
        )


@pytest.mark.req(5)
def test_payment_failed(client, db_inspect, provider, secret, app):
    """payment_intent.payment_failed: the order becomes cancelled, the stock is unchanged"""
    ids, order = _paid_order_setup(client, db_inspect)
    response = _event(app, secret, "evt_1", FAILED, order["payment_id"])
    assert _json(response, "the webhook") == {"status": "processed"}, f'the webhook should answer {{"status": "processed"}}, got {response.get_json()}'
    assert _order(client, order["id"])["status"] == "cancelled", "after payment_intent.payment_failed the order should be cancelled"
    assert _stocks(client, ids) == [5, 10], f"a failed payment must leave the stock as it was ([5, 10]), got {_stocks(client, ids)}"


@pytest.mark.req(6)
def test_same_event_twice(client, db_inspect, provider, secret, app):
    """The same event delivered again answers duplicate; the stock goes down exactly once"""
    ids, order = _paid_order_setup(client, db_inspect)
    _event(app, secret, "evt_1", SUCCEEDED, order["payment_id"])
    body = _body("evt_1", SUCCEEDED, order["payment_id"])
    again = [_send(app, body, _sign(secret, body)) for _ in range(2)]
    with about(hint="Store each processed event id (a primary key) in the same commit as its effect; look it up first."):
        assert _stocks(client, ids) == [3, 7], (
            f"the provider delivered the same event 3 times: the stock should go down exactly once ([3, 7]), got {_stocks(client, ids)}"
        )
        for response in again:
            assert response.status_code == 200 and response.get_json(silent=True) == {"status": "duplicate"}, (
                f'an event id already processed should answer 200 {{"status": "duplicate"}}, got {response.status_code} {response.get_data(as_text=True)[:120]}'
            )
    assert _order(client, order["id"])["status"] == "paid", "the order should stay paid"


@pytest.mark.req(7)
def test_event_for_an_order_not_pending(client, db_inspect, provider, secret, app):
    """A new event for a paid or cancelled order answers 409 and changes nothing"""
    ids, order = _paid_order_setup(client, db_inspect)
    _event(app, secret, "evt_1", SUCCEEDED, order["payment_id"])
    with about(hint="Only a pending order moves: `if order.status != \"pending\": return {...}, 409`."):
        _error(_event(app, secret, "evt_2", SUCCEEDED, order["payment_id"], 409, "a second succeeded event (new id) for the paid order"), "The 409")
        _error(_event(app, secret, "evt_3", FAILED, order["payment_id"], 409, "a payment_failed event for the paid order"), "The 409")
    assert _order(client, order["id"])["status"] == "paid", "the order should stay paid"
    assert _stocks(client, ids) == [3, 7], f"the stock should have gone down once only ([3, 7]), got {_stocks(client, ids)}"
    for product_id in ids:
        client.put(f"/api/cart/items/{product_id}", json={"quantity": 1})
    second = _checkout(client)
    assert client.post(f"/api/orders/{second['id']}/cancel").status_code == 200, "the owner's cancel of a pending order should answer 200"
    _event(app, secret, "evt_4", SUCCEEDED, second["payment_id"], 409, "a succeeded event for a cancelled order")
    assert _order(client, second["id"])["status"] == "cancelled" and _stocks(client, ids) == [3, 7], "a cancelled order stays cancelled, the stock unchanged"


@pytest.mark.req(8)
def test_cancel(client, db_inspect, provider, secret, app):
    """The owner cancels a pending order (200); other statuses 409; 401 logged out, 404 for others"""
    ids, order = _paid_order_setup(client, db_inspect)
    url = f"/api/orders/{order['id']}/cancel"
    other = app.test_client()
    assert other.post(url).status_code == 401, f"POST {url} without logging in should answer 401"
    _register_login(other, "bob_22")
    response = other.post(url)
    assert response.status_code == 404, f"bob's POST {url} (alice's order) should answer 404, got {response.status_code}"
    assert client.post("/api/orders/9999/cancel").status_code == 404, "cancelling an order that does not exist should answer 404"
    response = client.post(url)
    assert response.status_code == 200, f"alice's POST {url} (her pending order) should answer 200, got {response.status_code}"
    assert _json(response, "the cancel")["status"] == "cancelled", f"the cancel should answer the cancelled order, got {response.get_json()}"
    response = client.post(url)
    assert response.status_code == 409, f"cancelling a cancelled order should answer 409, got {response.status_code}"
    for product_id in ids:
        client.put(f"/api/cart/items/{product_id}", json={"quantity": 1})
    paid = _checkout(client)
    _event(app, secret, "evt_1", SUCCEEDED, paid["payment_id"])
    response = client.post(f"/api/orders/{paid['id']}/cancel")
    with about(hint="Only a pending order can be cancelled; a paid one answers 409."):
        assert response.status_code == 409, f"cancelling a paid order should answer 409, got {response.status_code}"
    _error(response, "The 409")
    assert _order(client, paid["id"])["status"] == "paid", "a refused cancel must leave the order paid"


@pytest.mark.req(9)
def test_ship(client, db_inspect, provider, secret, app):
    """An administrator ships a paid order (200); other statuses 409; 401, 403, 404"""
    _ids, order = _paid_order_setup(client, db_inspect)
    url = f"/api/orders/{order['id']}/ship"
    admin = app.test_client()
    assert admin.post(url).status_code == 401, f"POST {url} without logging in should answer 401"
    response = client.post(url)
    assert response.status_code == 403, f"alice (not an administrator) shipping her order should answer 403, got {response.status_code}"
    response = admin.post("/api/auth/login", json={"username": "admin_1", "password": PASSWORD})
    assert response.status_code == 200, "the administrator's login should answer 200"
    assert admin.post("/api/orders/9999/ship").status_code == 404, "shipping an order that does not exist should answer 404"
    response = admin.post(url)
    with about(hint="Only a paid order can be shipped: a pending one answers 409."):
        assert response.status_code == 409, f"shipping a pending (unpaid) order should answer 409, got {response.status_code}"
    _error(response, "The 409")
    assert _order(client, order["id"])["status"] == "pending", "a refused ship must leave the order pending"
    _event(app, secret, "evt_1", SUCCEEDED, order["payment_id"])
    response = admin.post(url)
    assert response.status_code == 200, f"shipping a paid order should answer 200, got {response.status_code}"
    assert _json(response, "the ship")["status"] == "shipped", f"the ship should answer the shipped order, got {response.get_json()}"
    assert admin.post(url).status_code == 409, "shipping a shipped order should answer 409"
    assert client.post(f"/api/orders/{order['id']}/cancel").status_code == 409, "cancelling a shipped order should answer 409"
