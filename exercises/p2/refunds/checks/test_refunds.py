"""Checks for p2-refunds: full and partial refunds (POST /api/payments/<id>/refunds behind an
Idempotency-Key), made at the payment provider (a stand-in HTTP server on 127.0.0.1 started by
these checks), never more than was captured, not even for two refunds at once; the ledger and the
payment's status follow. Each check names the brief's numbered requirements it covers
(@pytest.mark.req)."""
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from flask import Response
from flask.testing import FlaskClient
from sqlalchemy import event as sqlalchemy_event

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


def _pay(client, amount=1000, **changes):
    response = _post(client, _body(amount=amount, **changes))
    _expect(response, 201, f"POST /api/payments (a payment of {amount} cents, stage 1)")
    return _json(response, "POST /api/payments")


def _refund(client, payment_id, body=None, key="new"):
    headers = {} if key is None else {"Idempotency-Key": _key() if key == "new" else key}
    if body is None:
        return client.post(f"/api/payments/{payment_id}/refunds", headers=headers)
    return client.post(f"/api/payments/{payment_id}/refunds", json=body, headers=headers)


def _refunded(client, payment_id, body, what, key="new"):
    response = _refund(client, payment_id, body, key)
    with about(hint="Refund at the provider, add a refund transaction, set the status, commit, then answer 201 with the payment."):
        _expect(response, 201, f"POST /api/payments/{payment_id}/refunds {what}")
    payment = _json(response, "POST /api/payments/<id>/refunds")
    assert isinstance(payment, dict) and set(payment) == PAYMENT_KEYS, (
        f"the refund should answer the payment with exactly the keys {sorted(PAYMENT_KEYS)}, got {payment}"
    )
    return payment


def _refund_steps(payment):
    return [(t["kind"], t["status"], t["amount"]) for t in payment["transactions"] if t["kind"] == "refund"]


@pytest.mark.req(1, 4)
def test_full_refund(client, db_inspect, provider):
    """No body: the whole capture refunded at the provider; a refund transaction; status refunded"""
    payment = _pay(client, 1999)
    refunded = _refunded(client, payment["id"], None, "with no body (a full refund)")
    with about(hint="Without an amount, refund what is left: the captured sum minus what was refunded."):
        assert refunded["status"] == "refunded" and refunded["amount_refunded"] == 1999, (
            f"a full refund of a 1999-cent payment should leave it \"refunded\" with amount_refunded 1999, got "
            f"status {refunded['status']!r}, amount_refunded {refunded['amount_refunded']}"
        )
    assert _refund_steps(refunded) == [("refund", "succeeded", 1999)], (
        f"the payment's transactions should end with one refund, succeeded, of 1999, got {refunded['transactions']}"
    )
    calls = provider.refund_requests()
    assert len(calls) == 1, f"a refund should make exactly one request to the provider (POST /v1/refunds), it made {len(calls)}"
    _m, _p, headers, raw = calls[0]
    assert headers.get("authorization") == f"Bearer {provider.api_key}" and headers.get("idempotency-key"), (
        "the refund request should carry Authorization: Bearer <PROVIDER_API_KEY> and an Idempotency-Key, got "
        f"{ {k: v for k, v in headers.items() if k in ('authorization', 'idempotency-key')} }"
    )
    sent = json.loads(raw or b"null")
    wanted = {"payment_intent": payment["provider_id"], "amount": 1999}
    assert sent == wanted, f"the provider should get exactly {wanted} (JSON), got {sent}"
    got = _json(client.get(f"/api/payments/{payment['id']}"), "GET /api/payments/<id>")
    assert got == refunded, f"GET /api/payments/{payment['id']} should answer the refunded payment {refunded}, got {got}"
    assert sorted(r["kind"] for r in _ledger_rows(db_inspect)) == ["authorization", "capture", "refund"], (
        f"the ledger table should hold the authorization, the capture and the refund, found {_ledger_rows(db_inspect)}"
    )


@pytest.mark.req(2, 4)
def test_partial_refunds(client, provider):
    """300 then 700 of 1000: partially_refunded, then refunded; the balance follows"""
    payment = _pay(client, 1000)
    first = _refunded(client, payment["id"], {"amount": 300}, '{"amount": 300} of a 1000-cent payment')
    with about(hint="After a refund, the status is refunded when the refunds add up to the capture, else partially_refunded."):
        assert (first["status"], first["amount_refunded"]) == ("partially_refunded", 300), (
            f"after refunding 300 of 1000 the payment should be partially_refunded with amount_refunded 300, got "
            f"{first['status']!r} and {first['amount_refunded']}"
        )
    second = _refunded(client, payment["id"], {"amount": 700}, '{"amount": 700} (the rest)')
    assert (second["status"], second["amount_refunded"], second["amount_captured"]) == ("refunded", 1000, 1000), (
        f"after refunding 300 and then 700 of 1000 the payment should be refunded with amount_refunded 1000, got "
        f"{second['status']!r} and {second['amount_refunded']}"
    )
    assert _refund_steps(second) == [("refund", "succeeded", 300), ("refund", "succeeded", 700)], (
        f"the payment should have two refund transactions, 300 then 700, got {second['transactions']}"
    )
    other = _pay(client, 500)
    _refunded(client, other["id"], {"amount": 200}, '{"amount": 200} of a 500-cent payment')
    balance = _json(client.get("/api/balance"), "GET /api/balance")
    expected = {"currencies": {"eur": {"captured": 1500, "refunded": 1200, "net": 300}}}
    assert balance == expected, f"after payments of 1000 and 500 and refunds of 300, 700 and 200, GET /api/balance should answer {expected}, got {balance}"


@pytest.mark.req(2)
def test_bad_bodies(client, provider):
    """An amount that is not a positive integer, or a body that is not an object: 400, nothing refunded"""
    payment = _pay(client, 1000)
    for body, what in (({"amount": 2.5}, "amount 2.5 (a float)"), ({"amount": "300"}, 'amount "300"'),
                       ({"amount": 0}, "amount 0"), ({"amount": -100}, "amount -100"), ({"amount": True}, "amount true"),
                       ([300], "a JSON list")):
        response = _refund(client, payment["id"], body)
        with about(hint="Refuse anything but a JSON object whose amount, when given, is an integer (not a bool) of at least 1."):
            _expect(response, 400, f"POST /api/payments/{payment['id']}/refunds with {what}")
        _error(response, f"the 400 for {what}")
    assert provider.refund_requests() == [], "a refused refund must not reach the provider"


@pytest.mark.req(2, 3)
def test_not_more_than_captured(client, provider):
    """More than is left: 409, no provider call; an unknown payment 404; a failed payment 409"""
    payment = _pay(client, 1000)
    response = _refund(client, payment["id"], {"amount": 1001})
    with about(hint="Compare the amount with the captured sum minus the refunded sum before calling the provider."):
        _expect(response, 409, f"POST /api/payments/{payment['id']}/refunds with amount 1001 of a 1000-cent payment")
    _error(response, "the 409")
    _refunded(client, payment["id"], {"amount": 600}, '{"amount": 600}')
    response = _refund(client, payment["id"], {"amount": 401})
    with about(hint="What is left is the capture minus every refund made so far."):
        _expect(response, 409, f"POST /api/payments/{payment['id']}/refunds with 401 when 400 are left (1000 - 600)")
    _refunded(client, payment["id"], None, "with no body (the 400 left)")
    _expect(_refund(client, payment["id"], None), 409, "a refund of a payment already refunded in full")
    assert len(provider.refund_requests()) == 2, f"only the two refunds that fit should reach the provider, it got {len(provider.refund_requests())}"
    declined = _pay(client, 500, payment_method="pm_card_chargeDeclined")
    _error(_refund(client, declined["id"], None), "the refund of a failed payment")
    _expect(_refund(client, declined["id"], None), 409, "a refund of a failed (declined) payment")
    _expect(_refund(client, 99999, None), 404, "a refund of payment 99999 (no such payment)")


@pytest.mark.req(1)
def test_refund_idempotency(client, provider):
    """Idempotency-Key required; a replay refunds nothing more; the same key with another body 422"""
    payment = _pay(client, 1000)
    response = _refund(client, payment["id"], {"amount": 100}, key=None)
    with about(hint="Put the Idempotency-Key decorator of stage 1 on the refund route too."):
        _expect(response, 400, "a refund without an Idempotency-Key header")
    key = _key()
    first = _refunded(client, payment["id"], {"amount": 100}, '{"amount": 100}', key=key)
    again = _refund(client, payment["id"], {"amount": 100}, key=key)
    with about(hint="A replay answers the stored answer: the money must not go back twice."):
        assert (again.status_code, again.get_json(silent=True)) == (201, first), (
            f"the same refund with the same Idempotency-Key should answer the first answer again (201 {first}), got "
            f"{again.status_code} {again.get_data(as_text=True)[:300]}"
        )
        assert len(provider.refund_requests()) == 1, f"a replayed refund must not reach the provider again, it got {len(provider.refund_requests())} refunds"
    _expect(_refund(client, payment["id"], {"amount": 200}, key=key), 422, "a refund with a key already used for another amount")
    got = _json(client.get(f"/api/payments/{payment['id']}"), "GET /api/payments/<id>")
    assert got["amount_refunded"] == 100, f"after one refund of 100 and its replay, amount_refunded should be 100, got {got['amount_refunded']}"


@pytest.mark.req(5)
def test_racing_refunds(app, client, db_inspect, provider):
    """Two refunds of 600 of a 1000-cent payment at the same moment: one 201, one 409, one refund at the provider"""
    payment = _pay(client, 1000)
    provider.refund_delay = 0.3  # the provider is slow: both requests are in flight together
    start = threading.Barrier(2)
    # Make the race certain instead of likely: each racing request's first UPDATE waits (at most
    # 1 s) until the other request has reached its own first UPDATE too. A check-then-act view has
    # then read "1000 left" in both requests; a conditional UPDATE still lets only one through.
    at_update = threading.Barrier(2)
    racing, waited = set(), set()

    def meet(conn, cursor, statement, parameters, context, executemany):
        me = threading.get_ident()
        if me in racing and me not in waited and statement.lstrip().upper().startswith("UPDATE"):
            waited.add(me)
            try:
                at_update.wait(timeout=1)
            except threading.BrokenBarrierError:
                pass  # the other request never updates (it may lock rows instead): go on

    engine = None
    database = app.extensions.get("sqlalchemy")
    if database is not None:
        with app.app_context():
            engine = getattr(database, "engine", None)
    if engine is not None:
        sqlalchemy_event.listen(engine, "before_cursor_execute", meet)
    answers = []

    def send():
        # A client the check run does not record: which of the two wins is up to the race, and the
        # list of requests shown with the result must not change from one run to the next.
        own = FlaskClient(app, Response)
        racing.add(threading.get_ident())
        start.wait(timeout=5)
        answers.append(own.post(f"/api/payments/{payment['id']}/refunds", json={"amount": 600},
                                headers={"Idempotency-Key": _key()}).status_code)

    threads = [threading.Thread(target=send) for _ in range(2)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=8)
    finally:
        if engine is not None:
            sqlalchemy_event.remove(engine, "before_cursor_execute", meet)
    with about(hint="Check and claim the amount in one statement: `UPDATE payment SET refund_reserved = refund_reserved + :a "
                    "WHERE id = :id AND refund_reserved + :a <= :captured`, and look at rowcount."):
        assert sorted(answers) == [201, 409], (
            f"two refunds of 600 sent at the same moment for a 1000-cent payment should answer one 201 and one 409 "
            f"(only 1000 can go back), got {sorted(answers)}: a check-then-act race refunds twice"
        )
        refunds = [r for r in _ledger_rows(db_inspect) if r["kind"] == "refund"]
        assert [int(r["amount"]) for r in refunds] == [600], f"the ledger should hold one refund of 600, found {refunds}"
        assert len(provider.refund_requests()) == 1, f"only one of the two refunds should reach the provider, it got {len(provider.refund_requests())}"


@pytest.mark.req(6)
def test_provider_fails(client, db_inspect, provider):
    """The provider fails: 502, no refund recorded, nothing held back; a retry with the same key refunds"""
    payment = _pay(client, 1000)
    key = _key()
    provider.script = [500]
    response = _refund(client, payment["id"], {"amount": 1000}, key=key)
    with about(hint="Catch the provider's failure, give back what you reserved, and answer 502."):
        _expect(response, 502, "a refund while the provider answers 500")
    _error(response, "the 502")
    got = _json(client.get(f"/api/payments/{payment['id']}"), "GET /api/payments/<id>")
    assert (got["status"], got["amount_refunded"]) == ("succeeded", 0), (
        f"after a failed refund the payment should still be succeeded with amount_refunded 0, got {got['status']!r} and {got['amount_refunded']}"
    )
    assert not [r for r in _ledger_rows(db_inspect) if r["kind"] == "refund"], "a refund the provider did not make must not be in the ledger"
    with about(hint="A failed provider call must give the reserved amount back, or the payment can never be refunded in full."):
        again = _refunded(client, payment["id"], {"amount": 1000}, "again with the same key once the provider works (the whole 1000)", key=key)
    assert again["status"] == "refunded", f"the retried full refund should leave the payment refunded, got {again['status']!r}"
    other = _pay(client, 400)
    provider.script = [("slow", 6)]
    started = time.monotonic()
    response = _refund(client, other["id"], None)
    assert time.monotonic() - started < 5, "a refund waited for a provider that does not answer: pass timeout=PROVIDER_TIMEOUT"
    _expect(response, 502, "a refund while the provider does not answer in time")


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
    paid = _pay(client, 1000)
    client.post(f"/api/payments/{paid['id']}/refunds", json={"amount": 100, "note": f"card {VISA}"},
                headers={"Idempotency-Key": _key()})
    with about(hint="Nothing of a card number may be stored: not in a payment, a transaction, an idempotency record or an event."):
        found = _pans_in_database(db_inspect)
        assert found == [], f"card numbers were stored in the database: {found}"
    assert VISA not in capfd.readouterr().out.replace(" ", ""), "the card number was printed to the output (logs): never log card numbers"
