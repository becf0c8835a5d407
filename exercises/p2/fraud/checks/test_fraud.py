"""Checks for p2-fraud: fraud rules before a payment reaches the provider (blocklist, velocity per
customer in a window of the injected clock, an amount limit, the IP's country against the billing
country), a risk score and a decision (allow, review, block), blocked payments saved but never sent
to the stand-in provider (on 127.0.0.1, started by these checks), GET /api/payments/<id>/risk.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from flask_tutor_pytest.helpers import about

PAYMENT_KEYS = {"id", "customer", "amount", "currency", "status", "provider_id", "failure_code",
                "amount_captured", "amount_refunded", "transactions"}
TRANSACTION_KEYS = {"id", "payment_id", "kind", "status", "amount", "currency"}


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
        self.captured = {}  # intent id -> amount
        self.refunded = {}  # intent id -> amount refunded
        self.refund_delay = 0
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
        if (method, path) == ("POST", "/v1/refunds"):
            return self.refund(headers, raw)
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
                if intent["status"] == "succeeded":
                    self.captured[intent["id"]] = body["amount"]
                result = 200, json.dumps(intent).encode()
            if key:
                self.by_key[key] = result
        return result

    def refund(self, headers, raw):
        key = headers.get("idempotency-key")
        with self.lock:
            if key and key in self.by_key:
                return self.by_key[key]
        self.closing.wait(self.refund_delay)  # a slow provider: lets two refunds overlap
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        with self.lock:
            intent = body.get("payment_intent") if isinstance(body, dict) else None
            if intent not in self.captured or type(body.get("amount")) is not int or body["amount"] < 1:
                return 400, json.dumps({"error": {"type": "invalid_request_error", "message": f"bad refund {body}"}}).encode()
            if self.refunded.get(intent, 0) + body["amount"] > self.captured[intent]:
                return 400, json.dumps({"error": {"type": "invalid_request_error", "code": "amount_too_large",
                                                  "message": "Refund amount is greater than unrefunded amount"}}).encode()
            self.refunded[intent] = self.refunded.get(intent, 0) + body["amount"]
            refund = {"id": f"re_{len(self.refund_requests())}_test", "object": "refund",
                      "amount": body["amount"], "payment_intent": intent, "status": "succeeded"}
            result = 200, json.dumps(refund).encode()
            if key:
                self.by_key[key] = result
        return result

    def refund_requests(self):
        return [r for r in self.received if r[:2] == ("POST", "/v1/refunds")]

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


NOW = 1_767_225_600  # the injected clock: 2026-01-01T00:00:00Z
SECRET = "whsec_test_" + "5f3c" * 8
clock = {"now": NOW}  # the app's CLOCK reads it: checks move time forward
RISK_KEYS = {"payment_id", "score", "decision", "reasons"}


@pytest.fixture
def provider(app):
    p = Provider(api_key=f"sk_test_{uuid.uuid4().hex}")
    clock["now"] = NOW
    app.config.update(PROVIDER_URL=p.url, PROVIDER_API_KEY=p.api_key, PROVIDER_TIMEOUT=1,
                      PROVIDER_WEBHOOK_SECRET=SECRET, CLOCK=lambda: clock["now"],
                      FRAUD_VELOCITY_LIMIT=3, FRAUD_VELOCITY_WINDOW=3600, FRAUD_AMOUNT_LIMIT=100_000,
                      FRAUD_BLOCKLIST=["cus_mallory", "192.0.2.66"],
                      IP_COUNTRIES={"203.0.113.0/24": "FR", "198.51.100.0/24": "US"})
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


def _ledger_rows(db_inspect):
    """Rows of the ledger table: the table with a "kind" and an "amount" column."""
    tables = [t for t in db_inspect.tables() if {"kind", "amount"} <= set(db_inspect.columns(t))]
    return [row for t in tables for row in db_inspect.rows(t)]


def _pay(client, amount=1000, **changes):
    response = _post(client, _body(amount=amount, **changes))
    _expect(response, 201, f"POST /api/payments (a payment of {amount} cents, stage 1)")
    return _json(response, "POST /api/payments")


def _from(client, body, ip, key="new"):
    headers = {"Idempotency-Key": _key() if key == "new" else key}
    return client.post("/api/payments", json=body, headers=headers, environ_base={"REMOTE_ADDR": ip})


def _risk(client, payment_id):
    response = client.get(f"/api/payments/{payment_id}/risk")
    with about(hint="Store the score, decision and reasons of every payment, and answer them at GET /api/payments/<id>/risk."):
        _expect(response, 200, f"GET /api/payments/{payment_id}/risk")
    risk = _json(response, "GET /api/payments/<id>/risk")
    assert isinstance(risk, dict) and set(risk) == RISK_KEYS, f"the risk should have exactly the keys {sorted(RISK_KEYS)}, got {risk}"
    return risk


def _verdict(risk):
    return risk["score"], risk["decision"], sorted(risk["reasons"])


@pytest.mark.req(1, 2)
def test_allowed_payment(client, provider):
    """A payment no rule fires on: score 0, allow, no reasons, confirmed at the provider as before"""
    payment = _pay(client, 1999)
    assert payment["status"] == "succeeded", f"an allowed payment should be confirmed as before (succeeded), got {payment}"
    risk = _risk(client, payment["id"])
    assert risk == {"payment_id": payment["id"], "score": 0, "decision": "allow", "reasons": []}, (
        f"a payment no rule fires on should have the risk {{payment_id: {payment['id']}, score: 0, decision: allow, reasons: []}}, got {risk}"
    )
    response = client.get("/api/payments/99999/risk")
    _expect(response, 404, "GET /api/payments/99999/risk (no such payment)")
    _error(response, "the 404")


@pytest.mark.req(3)
def test_amount_limit(client, provider):
    """Over FRAUD_AMOUNT_LIMIT: +40, review (still confirmed); at the limit: allow"""
    at_limit = _pay(client, 100_000)
    assert _verdict(_risk(client, at_limit["id"])) == (0, "allow", []), "an amount equal to FRAUD_AMOUNT_LIMIT (100000) is not over it: allow"
    over = _pay(client, 100_001)
    with about(hint="Read the limit from current_app.config[\"FRAUD_AMOUNT_LIMIT\"] and compare amount > limit."):
        assert _verdict(_risk(client, over["id"])) == (40, "review", ["amount_over_limit"]), (
            f"an amount of 100001 (over the limit 100000) should score 40, review, reasons [amount_over_limit], got {_risk(client, over['id'])}"
        )
    assert over["status"] == "succeeded" and len(provider.intent_requests()) == 2, (
        f"a payment to review is still confirmed at the provider (succeeded), got {over['status']!r}"
    )


@pytest.mark.req(4)
def test_velocity(client, provider):
    """More than 3 payments of a customer within 3600 s (the app's CLOCK): +50 on the 4th; not for others; not after the window"""
    for number in range(1, 4):
        clock["now"] = NOW + number * 60
        payment = _pay(client, 500, customer="cus_bob")
        assert _verdict(_risk(client, payment["id"])) == (0, "allow", []), f"payment {number} of 3 in an hour should be allowed"
    clock["now"] = NOW + 240
    fourth = _pay(client, 500, customer="cus_bob")
    with about(hint="Count the customer's payments created after now - FRAUD_VELOCITY_WINDOW (now from config CLOCK), this one included."):
        assert _verdict(_risk(client, fourth["id"])) == (50, "review", ["velocity"]), (
            f"the 4th payment of cus_bob within an hour (limit 3) should score 50, review, reasons [velocity], got {_risk(client, fourth['id'])}"
        )
    other = _pay(client, 500, customer="cus_carol")
    assert _verdict(_risk(client, other["id"])) == (0, "allow", []), "another customer's payment is not counted with cus_bob's: allow"
    clock["now"] = NOW + 60 + 3600 + 1  # the first payment left the window; three remain
    still = _pay(client, 500, customer="cus_bob")
    assert _verdict(_risk(client, still["id"]))[2] == ["velocity"], "with 3 payments still in the window, a new one is the 4th: velocity"
    clock["now"] = NOW + 240 + 3600 + 1 + 3600
    later = _pay(client, 500, customer="cus_bob")
    with about(hint="Payments older than the window do not count: use the app's CLOCK for now and for each payment's time."):
        assert _verdict(_risk(client, later["id"])) == (0, "allow", []), (
            f"more than an hour after cus_bob's payments, a new one should be allowed, got {_risk(client, later['id'])}"
        )


@pytest.mark.req(5)
def test_country_mismatch(client, provider):
    """billing_country differing from the IP's country (IP_COUNTRIES): +30, review; unknown IP or no billing country: no rule"""
    cases = [
        ("203.0.113.7", "FR", (0, "allow", [])),
        ("203.0.113.7", "US", (30, "review", ["country_mismatch"])),
        ("198.51.100.20", "US", (0, "allow", [])),
        ("10.1.2.3", "DE", (0, "allow", [])),
        ("203.0.113.7", None, (0, "allow", [])),
    ]
    for number, (ip, country, expected) in enumerate(cases):
        body = _body(customer=f"cus_geo_{number}", billing_country=country)
        response = _from(client, body, ip)
        _expect(response, 201, f"POST /api/payments from {ip} with billing_country {country!r}")
        risk = _risk(client, response.get_json()["id"])
        with about(hint="Find request.remote_addr's network in IP_COUNTRIES (ipaddress.ip_address(ip) in ipaddress.ip_network(cidr))."):
            assert _verdict(risk) == expected, (
                f"a payment from {ip} (IP_COUNTRIES says {'FR' if ip.startswith('203.') else 'US' if ip.startswith('198.') else 'unknown'}) "
                f"with billing_country {country!r} should have the risk {expected}, got {_verdict(risk)}"
            )
    for bad in ("fr", "FRA", 33):
        _expect(_from(client, _body(billing_country=bad), "203.0.113.7"), 400, f"POST /api/payments with billing_country {bad!r}")


@pytest.mark.req(6, 7)
def test_blocklist(client, db_inspect, provider):
    """A blocked customer or IP: +100, block, 402 with the payment saved as blocked; never sent to the provider"""
    response = _post(client, _body(customer="cus_mallory"))
    with about(hint="Decide before calling the provider: a block saves the payment as blocked and answers 402 without any request out."):
        _expect(response, 402, "POST /api/payments for cus_mallory (in FRAUD_BLOCKLIST)")
        body = _error(response, "the 402")
        assert provider.received == [], f"a blocked payment must never reach the provider, it got {[(m, p) for m, p, _h, _b in provider.received]}"
    payment = body.get("payment")
    assert isinstance(payment, dict) and payment.get("status") == "blocked" and payment.get("provider_id") is None and payment.get("transactions") == [], (
        f"the 402 should hold the payment, status blocked, provider_id null, no transactions, got {payment}"
    )
    assert _verdict(_risk(client, payment["id"])) == (100, "block", ["blocked_customer"]), (
        f"cus_mallory's payment should score 100, block, reasons [blocked_customer], got {_risk(client, payment['id'])}"
    )
    assert [r["status"] for r in _payment_rows(db_inspect)] == ["blocked"], "the blocked payment should be saved (status blocked), to explain it later"
    by_ip = _from(client, _body(customer="cus_dave"), "192.0.2.66")
    _expect(by_ip, 402, "POST /api/payments from 192.0.2.66 (an IP address in FRAUD_BLOCKLIST)")
    assert _verdict(_risk(client, by_ip.get_json()["payment"]["id"])) == (100, "block", ["blocked_ip"]), "a blocked IP address should score 100, block, [blocked_ip]"
    assert provider.received == [], "blocked payments must never reach the provider"
    refund = client.post(f"/api/payments/{payment['id']}/refunds", headers={"Idempotency-Key": _key()})
    _expect(refund, 409, "a refund of a blocked payment")


@pytest.mark.req(7)
def test_score_adds_up(client, provider):
    """Rules add up: velocity (50) + amount (40) = 90 blocks; amount (40) + country (30) = 70 reviews"""
    for number in range(3):
        _pay(client, 500, customer="cus_erin")
    response = _post(client, _body(customer="cus_erin", amount=150_000))
    with about(hint="Add the weights of every rule that fires; 80 or more blocks, 30 or more reviews."):
        _expect(response, 402, "the 4th payment of cus_erin in an hour, of 150000 cents (velocity 50 + amount 40 = 90)")
    risk = _risk(client, response.get_json()["payment"]["id"])
    assert _verdict(risk) == (90, "block", ["amount_over_limit", "velocity"]), f"the risk should be 90, block, [velocity, amount_over_limit], got {risk}"
    assert len(provider.intent_requests()) == 3, f"only the 3 allowed payments should reach the provider, it got {len(provider.intent_requests())}"
    response = _from(client, _body(customer="cus_frank", amount=150_000, billing_country="US"), "203.0.113.9")
    _expect(response, 201, "a payment of 150000 cents from a French IP with billing_country US (40 + 30 = 70: review, confirmed)")
    assert _verdict(_risk(client, response.get_json()["id"])) == (70, "review", ["amount_over_limit", "country_mismatch"]), (
        f"the risk should be 70, review, [amount_over_limit, country_mismatch], got {_risk(client, response.get_json()['id'])}"
    )


@pytest.mark.req(6)
def test_blocked_replay(client, provider):
    """A blocked payment's answer is replayed for its Idempotency-Key, still without reaching the provider"""
    key = _key()
    first = _post(client, _body(customer="cus_mallory"), key=key)
    again = _post(client, _body(customer="cus_mallory"), key=key)
    _expect(first, 402, "POST /api/payments for cus_mallory")
    assert (again.status_code, again.get_json(silent=True)) == (402, first.get_json()), (
        f"the same blocked request with the same key should answer the same 402 again, got {again.status_code} {again.get_data(as_text=True)[:200]}"
    )
    assert provider.received == [], "neither the blocked payment nor its replay may reach the provider"


VISA = "4242424242424242"
TEST_CARDS = (VISA, "5555555555554444", "378282246310005")


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


@pytest.mark.req(8)
def test_no_card_numbers_stored(client, db_inspect, provider, capfd):
    """Card numbers are still refused (422, use a token) and no table stores one, whatever request carried it"""
    for body, what in (
        (_body(payment_method=VISA), "payment_method 4242424242424242 (a card number)"),
        (_body(card={"number": "5555 5555 5555 4444", "cvc": "123"}), "a card object"),
        (_body(customer=f"cus {VISA}"), "a customer holding a card number"),
    ):
        response = _post(client, body)
        with about(hint="Keep stage 1's guard: refuse any body holding a Luhn-valid run of 13-19 digits before doing anything."):
            _expect(response, 422, f"POST /api/payments with {what}")
        error = _error(response, f"The 422 for {what}")["error"]
        assert "token" in error.lower(), f"the 422 for a card number should tell to send a token instead (pm_...), got {error!r}"
    client.post("/api/payments", json=_body(customer="cus_mallory", card_number=VISA),
                headers={"Idempotency-Key": _key()})
    with about(hint="Nothing of a card number may be stored: not in a payment, a transaction, an idempotency record or an event."):
        found = _pans_in_database(db_inspect)
        assert found == [], f"card numbers were stored in the database: {found}"
    assert VISA not in capfd.readouterr().out.replace(" ", ""), "the card number was printed to the output (logs): never log card numbers"
