"""Checks for p2-transactions: a ledger of transactions per payment (authorization, capture,
refund; integer cents), payments answered with their transactions and the sums of the ledger,
GET /api/transactions with filters and pagination, GET /api/balance per currency. The payments
are made through a stand-in provider on 127.0.0.1 started by these checks. Each check names the
brief's numbered requirements it covers (@pytest.mark.req)."""
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


def _ledger_rows(db_inspect):
    """Rows of the ledger table: the table with a "kind" and an "amount" column."""
    tables = [t for t in db_inspect.tables() if {"kind", "amount"} <= set(db_inspect.columns(t))]
    return [row for t in tables for row in db_inspect.rows(t)]


def _pay(client, what="a payment", **changes):
    response = _post(client, _body(**changes))
    _expect(response, 201, f"POST /api/payments ({what})")
    return _json(response, "POST /api/payments")


def _shape(payment, what):
    assert isinstance(payment, dict) and set(payment) == PAYMENT_KEYS, (
        f"{what} should be a payment with exactly the keys {sorted(PAYMENT_KEYS)}, got {payment}"
    )
    assert isinstance(payment["transactions"], list), f"{what}: transactions should be a list, got {payment['transactions']!r}"
    for t in payment["transactions"]:
        assert isinstance(t, dict) and set(t) == TRANSACTION_KEYS, (
            f"{what}: each transaction should have exactly the keys {sorted(TRANSACTION_KEYS)}, got {t}"
        )


def _steps(payment):
    return [(t["kind"], t["status"], t["amount"], t["currency"]) for t in payment["transactions"]]


def _list(client, query):
    response = client.get(f"/api/transactions{query}")
    _expect(response, 200, f"GET /api/transactions{query}")
    return _json(response, f"GET /api/transactions{query}")


def _bad_query(client, query):
    response = client.get(f"/api/transactions{query}")
    with about(hint="Check request.args before querying: answer 400 with {\"error\": ...} for a value you cannot use."):
        _expect(response, 400, f"GET /api/transactions{query}")
    _error(response, f"GET /api/transactions{query}")


@pytest.mark.req(1, 2)
def test_succeeded_payment_ledger(client, provider):
    """A succeeded payment: an authorization and a capture of its amount, amount_captured = amount"""
    payment = _pay(client, amount=1999, currency="usd")
    _shape(payment, "The answer of POST /api/payments")
    with about(hint="After the provider answers succeeded, add an authorization and a capture transaction, then commit both with the payment."):
        assert _steps(payment) == [("authorization", "succeeded", 1999, "usd"), ("capture", "succeeded", 1999, "usd")], (
            "a succeeded payment of 1999 usd should have the transactions [authorization succeeded 1999 usd, capture "
            f"succeeded 1999 usd] in this order, got {payment['transactions']}"
        )
    assert all(t["payment_id"] == payment["id"] and isinstance(t["id"], int) for t in payment["transactions"]), (
        f"each transaction should have its integer id and payment_id {payment['id']}, got {payment['transactions']}"
    )
    assert (payment["amount_captured"], payment["amount_refunded"]) == (1999, 0), (
        f"amount_captured should be 1999 (the capture) and amount_refunded 0, got {payment['amount_captured']} and {payment['amount_refunded']}"
    )
    got = client.get(f"/api/payments/{payment['id']}")
    _expect(got, 200, f"GET /api/payments/{payment['id']}")
    assert _json(got, "GET /api/payments/<id>") == payment, f"GET should answer the payment with its transactions ({payment}), got {got.get_json()}"


@pytest.mark.req(2)
def test_declined_payment_ledger(client, db_inspect, provider):
    """A declined payment: one failed authorization, nothing captured"""
    payment = _pay(client, "pm_card_chargeDeclined", amount=750, payment_method="pm_card_chargeDeclined")
    _shape(payment, "The answer of a declined payment")
    with about(hint="A declined card gives one authorization with status failed, and no capture."):
        assert _steps(payment) == [("authorization", "failed", 750, "eur")], (
            f"a declined payment of 750 eur should have one transaction [authorization failed 750 eur], got {payment['transactions']}"
        )
        assert payment["amount_captured"] == 0, (
            f"a declined payment captured nothing: amount_captured should be 0 (only succeeded captures count), got {payment['amount_captured']}"
        )
    assert len(_ledger_rows(db_inspect)) == 1, f"the ledger table should hold 1 row, found {_ledger_rows(db_inspect)}"


@pytest.mark.req(2)
def test_no_transaction_without_answer(client, db_inspect, provider):
    """A 502 records no transaction; the retry records them once; a replay records nothing more"""
    key = _key()
    provider.script = [500]
    failed = _post(client, _body(), key=key)
    _expect(failed, 502, "POST /api/payments while the provider answers 500")
    with about(hint="Record transactions only after the provider answered: a 502 moved no money."):
        assert _ledger_rows(db_inspect) == [], f"a payment the provider never confirmed should have no transaction, found {_ledger_rows(db_inspect)}"
    retried = _post(client, _body(), key=key)
    _expect(retried, 201, "the retry with the same key")
    _post(client, _body(), key=key)
    with about(hint="A replay answers the stored answer: it must not record the transactions again."):
        rows = _ledger_rows(db_inspect)
        assert sorted(r["kind"] for r in rows) == ["authorization", "capture"], (
            f"after the retry and one replay the ledger should hold exactly one authorization and one capture, found {rows}"
        )


@pytest.mark.req(3)
def test_amounts_are_integers(client, db_inspect, provider):
    """Amount columns are INTEGER; every amount in JSON is an int; the payment's sums match its ledger rows"""
    payments = [_pay(client, amount=amount) for amount in (1, 1999, 99_999_999)]
    for table in db_inspect.tables():
        for column in db_inspect.column_info(table):
            if "amount" in column["name"].lower():
                with about(hint="Use db.Integer for every amount: cents are whole numbers, floats lose cents."):
                    assert "INT" in str(column["type"]).upper(), (
                        f"the column {table}.{column['name']} is {column['type']}: amounts must be stored as integer cents (db.Integer), never FLOAT or NUMERIC"
                    )
    for payment in payments:
        got = _json(client.get(f"/api/payments/{payment['id']}"), "GET /api/payments/<id>")
        for name in ("amount", "amount_captured", "amount_refunded"):
            assert type(got.get(name)) is int, f"{name} should be a JSON integer (cents), got {got.get(name)!r} in {got}"
        for t in got["transactions"]:
            assert type(t["amount"]) is int and t["amount"] > 0, f"a transaction's amount should be a positive integer (cents), got {t}"
        rows = [r for r in _ledger_rows(db_inspect) if r.get("payment_id") == payment["id"]]
        captured = sum(int(r["amount"]) for r in rows if r["kind"] == "capture" and r["status"] == "succeeded")
        assert got["amount_captured"] == captured == payment["amount"], (
            f"amount_captured ({got['amount_captured']}) should be the sum of the payment's succeeded captures in the ledger table "
            f"({captured}), which is its amount {payment['amount']}"
        )


def _shop(client):
    a = _pay(client, amount=1000)
    b = _pay(client, amount=2000, currency="usd")
    c = _pay(client, amount=300, payment_method="pm_card_chargeDeclined")
    d = _pay(client, amount=4000)
    for payment in (a, b, c, d):
        _shape(payment, "The answer of POST /api/payments")
    return a, b, c, d


@pytest.mark.req(4)
def test_list_and_pages(client, provider):
    """GET /api/transactions: oldest first, page and per_page (default 1 and 20), total; bad values 400"""
    payments = _shop(client)
    everything = [t for p in payments for t in p["transactions"]]
    listed = _list(client, "")
    with about(hint="Answer {\"items\": [...], \"page\": ..., \"per_page\": ..., \"total\": ...}, ordered by id."):
        assert isinstance(listed, dict) and set(listed) == {"items", "page", "per_page", "total"}, (
            f"GET /api/transactions should answer exactly the keys items, page, per_page, total, got {listed}"
        )
        assert (listed["page"], listed["per_page"], listed["total"]) == (1, 20, 7), (
            f"with no parameters: page 1, per_page 20 and total 7 (4 payments: 3 succeeded x 2 + 1 failed authorization), "
            f"got page {listed['page']}, per_page {listed['per_page']}, total {listed['total']}"
        )
        assert listed["items"] == everything, f"the items should be all 7 transactions, oldest (lowest id) first: {everything}, got {listed['items']}"
    for page, expected in ((1, everything[0:3]), (2, everything[3:6]), (3, everything[6:]), (4, [])):
        body = _list(client, f"?per_page=3&page={page}")
        with about(hint="Skip (page - 1) * per_page rows: `.offset((page - 1) * per_page).limit(per_page)`."):
            assert body["items"] == expected and body["total"] == 7 and (body["page"], body["per_page"]) == (page, 3), (
                f"GET /api/transactions?per_page=3&page={page} should answer the transactions {[t['id'] for t in expected]} "
                f"with total 7, got {[t.get('id') for t in body['items']]} (total {body.get('total')})"
            )
    for query in ("?page=0", "?page=abc", "?per_page=0", "?per_page=101", "?page=-1"):
        _bad_query(client, query)


@pytest.mark.req(5)
def test_filters(client, provider):
    """Filters payment_id, kind, status and currency, combined; an unknown kind or status 400"""
    a, b, c, d = _shop(client)
    cases = [
        (f"?payment_id={a['id']}", a["transactions"]),
        ("?kind=capture", [t for p in (a, b, d) for t in p["transactions"] if t["kind"] == "capture"]),
        ("?status=failed", c["transactions"]),
        ("?currency=usd", b["transactions"]),
        ("?kind=authorization&currency=eur", [t for p in (a, c, d) for t in p["transactions"] if t["kind"] == "authorization"]),
        ("?kind=refund", []),
        (f"?payment_id={d['id']}&kind=capture&per_page=1", [d["transactions"][1]]),
    ]
    for query, expected in cases:
        body = _list(client, query)
        with about(hint="Add one `.where(...)` per filter given in request.args, and count the total with the same filters."):
            assert body["items"] == expected and body["total"] == len(expected), (
                f"GET /api/transactions{query} should answer the transactions {[t['id'] for t in expected]} (total {len(expected)}), "
                f"got {[t.get('id') for t in body['items']]} (total {body.get('total')})"
            )
    for query in ("?kind=charge", "?status=pending", "?payment_id=x"):
        _bad_query(client, query)


@pytest.mark.req(6)
def test_balance(client, provider):
    """GET /api/balance: per currency, captured, refunded and net from succeeded transactions, integers"""
    empty = client.get("/api/balance")
    _expect(empty, 200, "GET /api/balance with no payment")
    assert _json(empty, "GET /api/balance") == {"currencies": {}}, f'with no transaction the balance should be {{"currencies": {{}}}}, got {empty.get_json()}'
    _shop(client)
    _pay(client, amount=5, currency="usd")
    body = _json(client.get("/api/balance"), "GET /api/balance")
    expected = {"currencies": {"eur": {"captured": 5000, "refunded": 0, "net": 5000},
                               "usd": {"captured": 2005, "refunded": 0, "net": 2005}}}
    with about(hint="Sum the succeeded captures and refunds per currency (a failed authorization moved no money); int() the sums."):
        assert body == expected, (
            "after payments of 1000 + 4000 eur (and a declined 300 eur) and 2000 + 5 usd, GET /api/balance should answer "
            f"{expected}, got {body}"
        )
    for totals in body["currencies"].values():
        assert all(type(v) is int for v in totals.values()), f"the balance's amounts should be JSON integers, got {totals}"


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


@pytest.mark.req(7)
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
    with about(hint="Nothing of a card number may be stored: not in a payment, a transaction, an idempotency record or an event."):
        found = _pans_in_database(db_inspect)
        assert found == [], f"card numbers were stored in the database: {found}"
    assert VISA not in capfd.readouterr().out.replace(" ", ""), "the card number was printed to the output (logs): never log card numbers"
