"""Checks for p2-intents: POST /api/payments creates and confirms a payment intent at the payment
provider (a stand-in HTTP server on 127.0.0.1 started by these checks) behind an Idempotency-Key;
card numbers are refused and never stored; a failing provider answers 502 and leaves the payment
to retry. Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from flask_tutor_pytest.helpers import about

PAYMENT_KEYS = {"id", "customer", "amount", "currency", "status", "provider_id", "failure_code"}
VISA = "4242424242424242"
TEST_CARDS = (VISA, "5555555555554444", "378282246310005")


class Provider:
    """A stand-in payment provider (Stripe-like). `script` holds what the next requests get, in
    turn (then the normal answer): an int status, ("slow", seconds) or "not-json". It honours
    Idempotency-Key like a real provider: the same key answers the same intent again."""

    def __init__(self, api_key):
        self.api_key = api_key
        self.script = []
        self.received = []  # (method, path, headers, body bytes)
        self.by_key = {}
        self.intents = 0
        self.closing = threading.Event()
        self.lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with provider.lock:
                    provider.received.append((self.command, self.path, headers, raw))
                    step = provider.script.pop(0) if provider.script else None
                if isinstance(step, tuple):  # ("slow", seconds): answer late
                    provider.closing.wait(step[1])
                    step = None
                if step == "not-json":
                    status, answer = 200, b"<html>Bad gateway</html>"
                elif isinstance(step, int):
                    status, answer = step, json.dumps({"error": {"type": "api_error", "message": "provider failure"}}).encode()
                else:
                    status, answer = provider.answer(self.command, self.path, headers, raw)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/html" if step == "not-json" else "application/json")
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

    def answer(self, method, path, headers, raw):
        if headers.get("authorization") != f"Bearer {self.api_key}":
            return 401, json.dumps({"error": {"type": "invalid_request_error", "message": "Invalid API key"}}).encode()
        if (method, path) != ("POST", "/v1/payment_intents"):
            return 404, json.dumps({"error": {"message": f"no route {method} {path}"}}).encode()
        key = headers.get("idempotency-key")
        with self.lock:
            if key and key in self.by_key:
                return self.by_key[key]
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if not (isinstance(body, dict) and type(body.get("amount")) is int and body["amount"] > 0
                and isinstance(body.get("currency"), str) and isinstance(body.get("payment_method"), str)):
            return 400, json.dumps({"error": {"type": "invalid_request_error", "message": f"bad payment intent {body}"}}).encode()
        with self.lock:
            self.intents += 1
            intent = {"id": f"pi_{self.intents}_test", "object": "payment_intent",
                      "amount": body["amount"], "currency": body["currency"]}
            if body["payment_method"] == "pm_card_chargeDeclined":
                intent["status"] = "requires_payment_method"
                result = 402, json.dumps({"error": {"type": "card_error", "code": "card_declined",
                                                    "message": "Your card was declined.", "payment_intent": intent}}).encode()
            else:
                intent["status"] = "succeeded" if body.get("confirm") is True else "requires_confirmation"
                result = 200, json.dumps(intent).encode()
            if key:
                self.by_key[key] = result
        return result

    def intent_requests(self):
        return [r for r in self.received if r[:2] == ("POST", "/v1/payment_intents")]

    def close(self):
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def _fresh_database(app):
    """A server database (DATABASE_URL, e.g. PostgreSQL) outlives one check: start each from empty tables.
    SQLite databases are new for every check already."""
    db = app.extensions.get("sqlalchemy")
    if db is None or not hasattr(db, "drop_all"):
        return
    with app.app_context():
        if db.engine.url.get_backend_name() != "sqlite":
            db.drop_all()
            db.create_all()


@pytest.fixture
def provider(app):
    p = Provider(api_key=f"sk_test_{uuid.uuid4().hex}")
    app.config.update(PROVIDER_URL=p.url, PROVIDER_API_KEY=p.api_key, PROVIDER_TIMEOUT=1)
    yield p
    p.close()


def _body(**changes):
    body = {"amount": 1999, "currency": "eur", "payment_method": "pm_card_visa", "customer": "cus_alice"}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def _key():
    # Letters only: a long run of digits in a random key could pass the Luhn check and look like a card number.
    return "key-" + uuid.uuid4().hex.translate(str.maketrans("0123456789", "ghijklmnop"))


def _post(client, body, key="new"):
    headers = {} if key is None else {"Idempotency-Key": _key() if key == "new" else key}
    return client.post("/api/payments", json=body, headers=headers)


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


def _expect(response, status, what):
    assert response.status_code == status, (
        f"{what} should answer {status}, got {response.status_code}: {response.get_data(as_text=True)[:300]}"
    )


def _payment_rows(db_inspect):
    tables = [t for t in db_inspect.tables() if "payment" in t.lower() and "amount" in db_inspect.columns(t)]
    return [row for t in tables for row in db_inspect.rows(t)]


def _luhn(digits):
    total = 0
    for position, char in enumerate(reversed(digits)):
        n = int(char)
        if position % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _pans_in_database(db_inspect):
    """Every value of any column of any table holding a Luhn-valid run of 13-19 digits (spaces or
    dashes between them allowed), or one of the test card numbers these checks send."""
    found = []
    for table in db_inspect.tables():
        for row in db_inspect.rows(table):
            for column, value in row.items():
                text = str(value)
                for run in re.findall(r"\d(?:[ -]?\d)*", text):
                    digits = re.sub(r"\D", "", run)
                    if (13 <= len(digits) <= 19 and _luhn(digits)) or any(card in digits for card in TEST_CARDS):
                        found.append(f"{table}.{column} = {text[:80]!r}")
    return found


@pytest.mark.req(1, 3, 4)
def test_create_payment(client, db_inspect, provider):
    """POST /api/payments: 201 with the payment, succeeded, after one intent request to the provider"""
    response = _post(client, _body())
    with about(hint="Save the payment, call the provider, then `return jsonify(payment.to_dict()), 201`."):
        _expect(response, 201, "POST /api/payments with an Idempotency-Key and a valid body (amount 1999, pm_card_visa)")
    payment = _json(response, "POST /api/payments")
    assert isinstance(payment, dict) and set(payment) == PAYMENT_KEYS, (
        f"the payment should have exactly the keys {sorted(PAYMENT_KEYS)}, got {payment}"
    )
    assert isinstance(payment["id"], int), f"the payment's id should be an integer, got {payment['id']!r}"
    expected = {"customer": "cus_alice", "amount": 1999, "currency": "eur", "status": "succeeded", "failure_code": None}
    assert {k: payment[k] for k in expected} == expected, f"the payment should be {expected} (a card the provider accepts), got {payment}"
    assert isinstance(payment["provider_id"], str) and payment["provider_id"].startswith("pi_1_"), (
        f"provider_id should be the id of the provider's payment intent (pi_1_...), got {payment['provider_id']!r}"
    )
    requests_ = provider.intent_requests()
    with about(hint="POST to current_app.config[\"PROVIDER_URL\"] + \"/v1/payment_intents\", once per payment."):
        assert len(provider.received) == 1 and len(requests_) == 1, (
            f"one payment should make exactly one request to the provider (POST /v1/payment_intents), it made "
            f"{[(m, p) for m, p, _h, _b in provider.received]}"
        )
    _method, _path, headers, raw = requests_[0]
    with about(hint="Send `Authorization: Bearer <PROVIDER_API_KEY>`, the key read from current_app.config."):
        assert headers.get("authorization") == f"Bearer {provider.api_key}", (
            f"the request to the provider should carry Authorization: Bearer <app.config['PROVIDER_API_KEY']>, got {headers.get('authorization')!r}"
        )
    assert headers.get("idempotency-key"), "the request to the provider should carry an Idempotency-Key header, so that a retry never charges twice"
    sent = json.loads(raw or b"null")
    wanted = {"amount": 1999, "currency": "eur", "payment_method": "pm_card_visa", "confirm": True}
    with about(hint="Send the amount as it came, in integer cents, never divided by 100."):
        assert isinstance(sent, dict) and type(sent.get("amount")) is int and sent["amount"] == 1999, (
            f"the provider should get the amount as the integer 1999 (cents), got {sent}"
        )
    assert sent == wanted, f"the provider should get exactly {wanted} (JSON), got {sent}"
    got = client.get(f"/api/payments/{payment['id']}")
    _expect(got, 200, f"GET /api/payments/{payment['id']} (the payment just made)")
    assert _json(got, "GET /api/payments/<id>") == payment, f"GET should answer the payment as POST did ({payment}), got {got.get_json()}"
    _error(client.get("/api/payments/999999"), "GET /api/payments/999999")
    _expect(client.get("/api/payments/999999"), 404, "GET /api/payments/999999 (no such payment)")


@pytest.mark.req(3)
def test_declined_card(client, provider):
    """A card the provider declines (402): 201 with the payment failed, failure_code card_declined"""
    response = _post(client, _body(payment_method="pm_card_chargeDeclined"))
    with about(hint="A 402 from the provider is an answer, not an outage: the payment is `failed` with the error's `code`."):
        _expect(response, 201, "POST /api/payments with pm_card_chargeDeclined (the provider answers 402 card_declined)")
        payment = _json(response, "POST /api/payments")
        assert payment.get("status") == "failed" and payment.get("failure_code") == "card_declined", (
            f"a declined card should give a payment with status \"failed\" and failure_code \"card_declined\", got {payment}"
        )
    assert len(provider.intent_requests()) == 1, f"one request to the provider, got {len(provider.intent_requests())}"


@pytest.mark.req(2)
def test_validation(client, db_inspect, provider):
    """Bad amounts (floats, strings, 0, negative), currencies, tokens or customers: 400, nothing stored"""
    cases = [
        (_body(amount=19.99), "amount 19.99 (a float: amounts are integer cents)"),
        (_body(amount="1999"), "amount \"1999\" (a string)"),
        (_body(amount=0), "amount 0"),
        (_body(amount=-5), "a negative amount"),
        (_body(amount=True), "amount true (a boolean)"),
        (_body(amount=100_000_000), "amount 100000000 (over 99999999)"),
        (_body(currency="EURO"), "currency EURO"),
        (_body(payment_method=None), "no payment_method"),
        (_body(payment_method="card_visa"), "payment_method card_visa (not pm_...)"),
        (_body(customer=None), "no customer"),
        (_body(customer=""), "an empty customer"),
        ([1, 2], "a JSON list instead of an object"),
    ]
    for body, what in cases:
        response = _post(client, body)
        with about(hint="Check `type(amount) is int` (a bool is an int in Python, a float is not cents) before saving anything."):
            _expect(response, 400, f"POST /api/payments with {what}")
        _error(response, f"The 400 for {what}")
    assert _payment_rows(db_inspect) == [], f"refused requests must store no payment, found {_payment_rows(db_inspect)}"
    assert provider.received == [], "refused requests must never reach the provider"


@pytest.mark.req(5)
def test_idempotency_key_required(client, db_inspect, provider):
    """No Idempotency-Key header: 400, no payment, no provider call"""
    response = _post(client, _body(), key=None)
    with about(hint="Read `request.headers.get(\"Idempotency-Key\")` first and answer 400 when it is missing or empty."):
        _expect(response, 400, "POST /api/payments without an Idempotency-Key header")
    _error(response, "The 400 without Idempotency-Key")
    _expect(_post(client, _body(), key=""), 400, "POST /api/payments with an empty Idempotency-Key")
    assert _payment_rows(db_inspect) == [] and provider.received == [], (
        "a POST without an Idempotency-Key must create no payment and call no provider"
    )


@pytest.mark.req(6)
def test_replay_same_key(client, db_inspect, provider):
    """The same key and body again: the stored answer (same status, same body), no second payment or provider call"""
    key = _key()
    first = _post(client, _body(), key=key)
    _expect(first, 201, "POST /api/payments (first time with this key)")
    again = _post(client, _body(), key=key)
    with about(hint="Store the first answer (status and body) with the key; on a replay answer them without doing anything."):
        assert (again.status_code, again.get_json(silent=True)) == (first.status_code, first.get_json()), (
            f"the same POST with the same Idempotency-Key should answer exactly as the first time "
            f"({first.status_code} {first.get_json()}), got {again.status_code} {again.get_data(as_text=True)[:300]}"
        )
        assert len(provider.intent_requests()) == 1, (
            f"a replay must not call the provider again: it got {len(provider.intent_requests())} intent requests for one key"
        )
        assert len(_payment_rows(db_inspect)) == 1, f"a replay must not store a second payment, found {len(_payment_rows(db_inspect))}"
    declined_key = _key()
    first = _post(client, _body(payment_method="pm_card_chargeDeclined"), key=declined_key)
    again = _post(client, _body(payment_method="pm_card_chargeDeclined"), key=declined_key)
    assert (again.status_code, again.get_json(silent=True)) == (first.status_code, first.get_json()), (
        f"a replay of a declined payment should answer as the first time ({first.status_code} {first.get_json()}), "
        f"got {again.status_code} {again.get_data(as_text=True)[:300]}"
    )
    other = _post(client, _body())
    _expect(other, 201, "POST /api/payments with a new key")
    assert other.get_json()["id"] not in (first.get_json()["id"],), "a new key should make a new payment"


@pytest.mark.req(7)
def test_same_key_other_body(client, db_inspect, provider):
    """The same key with another body: 422, nothing done"""
    key = _key()
    _expect(_post(client, _body(), key=key), 201, "POST /api/payments (first time with this key)")
    response = _post(client, _body(amount=5000), key=key)
    with about(hint="Store a fingerprint (e.g. sha256 of the body) with the key and compare it on every reuse."):
        _expect(response, 422, "POST /api/payments with a key already used for another body (amount 1999, now 5000)")
    _error(response, "The 422 for a reused key")
    assert len(provider.intent_requests()) == 1 and len(_payment_rows(db_inspect)) == 1, (
        "a key reused with another body must not call the provider or store a payment"
    )


@pytest.mark.req(8)
def test_card_numbers_refused(client, db_inspect, provider, capfd):
    """Raw card numbers anywhere in the body: 422 telling to use a token; never stored anywhere, never sent"""
    cases = [
        (_body(payment_method=VISA), "payment_method 4242424242424242 (a card number)"),
        (_body(payment_method="4242 4242 4242 4242"), "payment_method \"4242 4242 4242 4242\""),
        (_body(card_number="5555-5555-5555-4444"), "an extra field card_number 5555-5555-5555-4444"),
        (_body(card={"number": "378282246310005", "cvc": "123"}), "a card object {number, cvc}"),
        (_body(customer=f"cus {VISA}"), "a customer holding a card number"),
    ]
    for body, what in cases:
        response = _post(client, body)
        with about(hint="Before anything else, look through every string of the body for 13-19 digits that pass the Luhn check."):
            _expect(response, 422, f"POST /api/payments with {what}")
        error = _error(response, f"The 422 for {what}")["error"]
        assert "token" in error.lower(), f"the 422 for a card number should tell to send a token instead (pm_...), got {error!r}"
    with about(hint="A refused card number must not be stored anywhere: not in a payment, not in an idempotency record."):
        found = _pans_in_database(db_inspect)
        assert found == [], f"card numbers were stored in the database: {found}"
    assert provider.received == [], f"a card number must never be sent on, the provider got {provider.received[:1]}"
    assert VISA not in capfd.readouterr().out.replace(" ", ""), "the card number was printed to the output (logs): never log card numbers"
    ok = _post(client, _body(customer="cus 1234567890123"))  # 13 digits failing the Luhn check: not a card
    _expect(ok, 201, "POST /api/payments with customer \"cus 1234567890123\" (13 digits that fail the Luhn check: not a card number)")


@pytest.mark.req(9)
def test_provider_down_then_retry(client, db_inspect, provider):
    """The provider answers 500: 502, the payment kept as requires_confirmation; a retry with the same key confirms it"""
    key = _key()
    provider.script = [500]
    response = _post(client, _body(), key=key)
    with about(hint="Catch the provider's failure and answer 502 with {\"error\": ..., \"payment\": ...}: the payment stays to retry."):
        _expect(response, 502, "POST /api/payments while the provider answers 500")
        body = _error(response, "The 502")
        assert isinstance(body.get("payment"), dict) and body["payment"].get("status") == "requires_confirmation", (
            f"the 502 should hold the payment, still \"requires_confirmation\" (to retry), got {body}"
        )
    rows = _payment_rows(db_inspect)
    assert len(rows) == 1, f"the payment should be saved before calling the provider (to retry it), found {len(rows)} payment rows"
    payment_id = body["payment"]["id"]
    got = _json(client.get(f"/api/payments/{payment_id}"), "GET /api/payments/<id>")
    assert got.get("status") == "requires_confirmation" and got.get("provider_id") is None, (
        f"after a failed provider call the payment should be requires_confirmation with provider_id null, got {got}"
    )
    again = _post(client, _body(), key=key)
    with about(hint="Do not store a 5xx answer under the key: a retry with the same key confirms the payment it already made."):
        _expect(again, 201, "POST /api/payments again with the same key once the provider works")
        assert again.get_json().get("id") == payment_id and again.get_json().get("status") == "succeeded", (
            f"the retry should confirm the same payment {payment_id} (succeeded), got {again.get_json()}"
        )
        assert len(_payment_rows(db_inspect)) == 1, "a retry with the same key must not store a second payment"
    keys = [h.get("idempotency-key") for _m, _p, h, _b in provider.intent_requests()]
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1], (
        f"both attempts for one payment should send the provider the same Idempotency-Key (no double charge), got {keys}"
    )
    provider.script = ["not-json"]
    _expect(_post(client, _body()), 502, "POST /api/payments while the provider answers HTML instead of JSON")


@pytest.mark.req(9)
def test_provider_timeout(client, db_inspect, provider):
    """A provider that does not answer within PROVIDER_TIMEOUT: 502 soon, never a hang"""
    provider.script = [("slow", 6)]
    started = time.monotonic()
    response = _post(client, _body())
    elapsed = time.monotonic() - started
    with about(hint="Pass `timeout=current_app.config[\"PROVIDER_TIMEOUT\"]` to every request and catch the timeout."):
        assert elapsed < 5, f"with PROVIDER_TIMEOUT = 1 s and a provider that answers after 6 s, POST /api/payments took {elapsed:.1f} s: use the timeout"
        _expect(response, 502, "POST /api/payments while the provider does not answer in time")
    _error(response, "The 502 for a timeout")
    assert [r["status"] for r in _payment_rows(db_inspect)] == ["requires_confirmation"], (
        f"after a timeout the payment should stay requires_confirmation, found {_payment_rows(db_inspect)}"
    )
