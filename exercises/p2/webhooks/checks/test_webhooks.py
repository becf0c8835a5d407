"""Checks for p2-webhooks: POST /webhooks/provider verifies the provider's signature (HMAC-SHA256 of
"<t>." + the raw body, a timestamp within 300 s of an injected clock), processes each event id
once, and updates payments from payment_intent.succeeded, payment_intent.payment_failed and
charge.refunded, ignoring events older than the last one applied. The payments are made through a
stand-in provider on 127.0.0.1 started by these checks. Each check names the brief's numbered
requirements it covers (@pytest.mark.req)."""
import hashlib
import hmac
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


@pytest.fixture
def provider(app):
    p = Provider(api_key=f"sk_test_{uuid.uuid4().hex}")
    app.config.update(PROVIDER_URL=p.url, PROVIDER_API_KEY=p.api_key, PROVIDER_TIMEOUT=1,
                      PROVIDER_WEBHOOK_SECRET=SECRET, CLOCK=lambda: NOW)
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


def _event(kind, obj, created=NOW - 60, event_id=None):
    # A stable id made from the event's content (the same checks, the same ids: messages never differ between runs)
    event_id = event_id or "evt_" + hashlib.sha256(json.dumps([kind, obj, created], sort_keys=True).encode()).hexdigest()[:16].translate(
        str.maketrans("0123456789", "ghijklmnop"))
    return {"id": event_id, "object": "event", "type": kind, "created": created,
            "data": {"object": obj}}


def _raw(event):
    """The bytes the provider sends: compact JSON (json.dumps(request.get_json()) gives other bytes)."""
    return json.dumps(event, separators=(",", ":")).encode()


def _signature(raw, t=NOW, secret=SECRET):
    return "v1=" + hmac.new(secret.encode(), f"{t}.".encode() + raw, hashlib.sha256).hexdigest()


def _deliver(client, event=None, raw=None, header=None, t=NOW):
    raw = _raw(event) if raw is None else raw
    headers = {"Content-Type": "application/json"}
    headers["Provider-Signature"] = f"t={t},{_signature(raw, t)}" if header is None else header
    if header is False:
        del headers["Provider-Signature"]
    return client.post("/webhooks/provider", data=raw, headers=headers)


def _accepted(client, event, what, **kwargs):
    response = _deliver(client, event, **kwargs)
    with about(hint="Verify the signature on request.get_data() (the raw bytes), then answer 200 with {\"received\": true, \"duplicate\": false}."):
        _expect(response, 200, f"POST /webhooks/provider with {what}, signed correctly")
    body = _json(response, "POST /webhooks/provider")
    return body


def _payment(client, payment_id):
    return _json(client.get(f"/api/payments/{payment_id}"), f"GET /api/payments/{payment_id}")


def _declined(client):
    payment = _pay(client, 1500, payment_method="pm_card_chargeDeclined")
    assert payment.get("status") == "failed" and payment.get("provider_id"), f"a declined payment (stage 1) should be failed with its provider_id, got {payment}"
    return payment


@pytest.mark.req(1, 5)
def test_signed_event_processed(client, db_inspect, provider):
    """A correctly signed payment_intent.succeeded turns a failed payment into succeeded, with its ledger"""
    payment = _declined(client)
    event = _event("payment_intent.succeeded", {"id": payment["provider_id"], "object": "payment_intent", "status": "succeeded", "amount": 1500})
    body = _accepted(client, event, "payment_intent.succeeded for a failed payment (the customer paid with another card)")
    assert body == {"received": True, "duplicate": False}, f'a new event should answer {{"received": true, "duplicate": false}}, got {body}'
    got = _payment(client, payment["id"])
    with about(hint="Find the payment by provider_id == data.object.id; a failed or requires_confirmation payment becomes succeeded."):
        assert (got["status"], got["failure_code"], got["amount_captured"]) == ("succeeded", None, 1500), (
            "after payment_intent.succeeded the failed payment should be succeeded, failure_code null, amount_captured 1500, got "
            f"status {got['status']!r}, failure_code {got['failure_code']!r}, amount_captured {got['amount_captured']}"
        )
    steps = [(t["kind"], t["status"]) for t in got["transactions"]]
    assert steps == [("authorization", "failed"), ("authorization", "succeeded"), ("capture", "succeeded")], (
        f"the ledger should add a succeeded authorization and capture after the failed one, got {steps}"
    )


@pytest.mark.req(2)
def test_bad_signatures(client, provider):
    """No header, a wrong secret, a changed body, a malformed header: 400, nothing processed"""
    payment = _declined(client)
    event = _event("payment_intent.succeeded", {"id": payment["provider_id"], "status": "succeeded"})
    raw = _raw(event)
    tampered = raw.replace(b'"succeeded"', b'"succeeded" ', 1)
    cases = [
        (dict(header=False), "no Provider-Signature header"),
        (dict(header=f"t={NOW},{_signature(raw, secret='whsec_wrong')}"), "a signature made with another secret"),
        (dict(raw=tampered, header=f"t={NOW},{_signature(raw)}"), "a body changed after signing (one space added)"),
        (dict(header=f"t={NOW - 1},{_signature(raw)}"), "a signature for another timestamp than t"),
        (dict(header=_signature(raw)), "a header without t="),
        (dict(header=f"t={NOW}"), "a header without v1="),
        (dict(header="garbage"), "a malformed header"),
    ]
    for kwargs, what in cases:
        response = _deliver(client, event, **kwargs)
        with about(hint='Compute hmac.new(secret, f"{t}.".encode() + request.get_data(), sha256).hexdigest() and compare with hmac.compare_digest.'):
            _expect(response, 400, f"POST /webhooks/provider with {what}")
        _error(response, f"the 400 for {what}")
    assert _payment(client, payment["id"])["status"] == "failed", "an event whose signature does not verify must change nothing"
    rotated = f"t={NOW},v1={'0' * 64},{_signature(raw)}"
    response = _deliver(client, event, header=rotated)
    with about(hint="A header may hold several v1= signatures (while the secret rotates): accept it when any of them matches."):
        _expect(response, 200, "POST /webhooks/provider with two v1= signatures, the second one right")


@pytest.mark.req(2)
def test_raw_body_signed(client, provider):
    """The signature covers the exact bytes sent, not the JSON re-serialised"""
    payment = _declined(client)
    event = _event("payment_intent.succeeded", {"id": payment["provider_id"], "status": "succeeded"})
    response = _deliver(client, event)
    with about(hint="Sign request.get_data() as it came: json.dumps(request.get_json()) makes other bytes (spaces after , and :)."):
        _expect(response, 200, "POST /webhooks/provider with compact JSON (no spaces), signed over those exact bytes")


@pytest.mark.req(3)
def test_timestamp_tolerance(client, provider):
    """A timestamp more than 300 s away from the app's CLOCK: 400; within 300 s: accepted"""
    payment = _declined(client)
    for offset, status in ((-301, 400), (301, 400), (-3600, 400), (-299, 200)):
        event = _event("payment_intent.payment_failed", {"id": payment["provider_id"], "last_payment_error": {"code": "card_declined"}},
                       event_id=f"evt_tolerance_{offset}")
        response = _deliver(client, event, t=NOW + offset)
        with about(hint="Read the time from current_app.config[\"CLOCK\"]() and refuse abs(now - t) > WEBHOOK_TOLERANCE (300)."):
            _expect(response, status, f"POST /webhooks/provider signed at t = now {offset:+d} s (the app's CLOCK says now = {NOW})")


@pytest.mark.req(4)
def test_duplicate_event(client, db_inspect, provider):
    """The same event id again: 200 duplicate, not processed a second time"""
    payment = _pay(client, 1000)
    refund = {"id": "re_dash_1", "amount": 400}
    event = _event("charge.refunded", {"payment_intent": payment["provider_id"], "amount_refunded": 400, "refunds": [refund]})
    first = _accepted(client, event, "charge.refunded (a refund of 400 made in the provider's dashboard)")
    assert first == {"received": True, "duplicate": False}, f"a new event should answer {{\"received\": true, \"duplicate\": false}}, got {first}"
    again = _deliver(client, event)
    with about(hint="Store each event id (a primary key) in the same commit as its effects; answer duplicate when it is there already."):
        _expect(again, 200, "the same event delivered a second time (providers deliver at least once)")
        assert _json(again, "POST /webhooks/provider") == {"received": True, "duplicate": True}, (
            f'a second delivery of event {event["id"]} should answer {{"received": true, "duplicate": true}}, got {again.get_json()}'
        )
    got = _payment(client, payment["id"])
    assert got["amount_refunded"] == 400 and len([t for t in got["transactions"] if t["kind"] == "refund"]) == 1, (
        f"after one event delivered twice the payment should have one refund of 400, got {got['transactions']}"
    )


@pytest.mark.req(5, 6)
def test_out_of_order(client, provider):
    """An event older than the last one applied to a payment is ignored (200, nothing changed)"""
    payment = _declined(client)
    newer = _event("payment_intent.payment_failed", {"id": payment["provider_id"], "last_payment_error": {"code": "insufficient_funds"}},
                   created=NOW - 100)
    _accepted(client, newer, "payment_intent.payment_failed (insufficient_funds, created at now - 100)")
    got = _payment(client, payment["id"])
    assert (got["status"], got["failure_code"]) == ("failed", "insufficient_funds"), (
        f"payment_intent.payment_failed should set failure_code to data.object.last_payment_error.code (insufficient_funds), got {got}"
    )
    older = _event("payment_intent.payment_failed", {"id": payment["provider_id"], "last_payment_error": {"code": "expired_card"}},
                   created=NOW - 200)
    _accepted(client, older, "an older payment_intent.payment_failed (expired_card, created at now - 200) arriving late")
    with about(hint="Keep the `created` of the last event applied to the payment and skip events created before it."):
        got = _payment(client, payment["id"])
        assert got["failure_code"] == "insufficient_funds", (
            f"an event created before the last one applied (now - 200 < now - 100) must be ignored: failure_code should stay "
            f"insufficient_funds, got {got['failure_code']!r}"
        )
    succeeded = _event("payment_intent.succeeded", {"id": payment["provider_id"], "status": "succeeded"}, created=NOW - 50)
    _accepted(client, succeeded, "payment_intent.succeeded (created at now - 50)")
    late_failure = _event("payment_intent.payment_failed", {"id": payment["provider_id"], "last_payment_error": {"code": "card_declined"}},
                          created=NOW - 10)
    _accepted(client, late_failure, "payment_intent.payment_failed after the payment succeeded")
    got = _payment(client, payment["id"])
    assert (got["status"], got["failure_code"]) == ("succeeded", None), (
        f"payment_intent.payment_failed must never move a succeeded payment back to failed, got status {got['status']!r}, "
        f"failure_code {got['failure_code']!r}"
    )


@pytest.mark.req(7)
def test_charge_refunded(client, provider):
    """charge.refunded records the refunds not yet in the ledger (an API refund is not counted twice)"""
    payment = _pay(client, 1000)
    api = client.post(f"/api/payments/{payment['id']}/refunds", json={"amount": 300}, headers={"Idempotency-Key": _key()})
    _expect(api, 201, "a refund of 300 through the API (stage 3)")
    [api_refund] = provider.refund_requests()
    refund_id = json.loads(provider.by_key[api_refund[2]["idempotency-key"]][1])["id"]
    event = _event("charge.refunded", {"payment_intent": payment["provider_id"], "amount_refunded": 500,
                                       "refunds": [{"id": refund_id, "amount": 300}, {"id": "re_dash_2", "amount": 200}]}, created=NOW - 30)
    _accepted(client, event, "charge.refunded listing the API's refund of 300 and a dashboard refund of 200")
    got = _payment(client, payment["id"])
    with about(hint="Record only the refunds whose provider id is not in the payment's ledger yet."):
        assert (got["amount_refunded"], got["status"]) == (500, "partially_refunded"), (
            f"after the API refund (300) and the event listing it plus a new refund of 200, amount_refunded should be 500 "
            f"(not 800: the API's refund is already in the ledger) and the status partially_refunded, got "
            f"{got['amount_refunded']} and {got['status']!r}"
        )
    rest = _event("charge.refunded", {"payment_intent": payment["provider_id"], "amount_refunded": 1000,
                                      "refunds": [{"id": refund_id, "amount": 300}, {"id": "re_dash_2", "amount": 200}, {"id": "re_dash_3", "amount": 500}]},
                  created=NOW - 20)
    _accepted(client, rest, "charge.refunded listing a third refund of 500")
    got = _payment(client, payment["id"])
    assert (got["amount_refunded"], got["status"]) == (1000, "refunded"), (
        f"after refunds of 300 + 200 + 500 of 1000 the payment should be refunded with amount_refunded 1000, got {got['amount_refunded']} and {got['status']!r}"
    )
    response = client.post(f"/api/payments/{payment['id']}/refunds", json={"amount": 1}, headers={"Idempotency-Key": _key()})
    _expect(response, 409, "a refund through the API after the dashboard refunded the rest (nothing left)")


@pytest.mark.req(8)
def test_unknown_events(client, provider):
    """An unknown event type or an intent with no payment: 200, ignored; a body that is not an event: 400"""
    payment = _pay(client, 1000)
    for event, what in (
        (_event("customer.created", {"id": "cus_1"}), "an event type the app does not handle (customer.created)"),
        (_event("payment_intent.succeeded", {"id": "pi_unknown"}), "payment_intent.succeeded for an intent with no payment"),
    ):
        _accepted(client, event, what)
    assert _payment(client, payment["id"])["status"] == "succeeded", "unrelated events must change nothing"
    raw = b'{"not": "an event"}'
    response = _deliver(client, raw=raw)
    with about(hint="After the signature, check the event has id (string), type (string), created (integer) and data.object (object)."):
        _expect(response, 400, "POST /webhooks/provider with a signed body that is not an event ({\"not\": \"an event\"})")


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


@pytest.mark.req(9)
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
    card_event = _event("charge.refunded", {"payment_intent": paid["provider_id"], "refunds": [],
                                            "payment_method_details": {"card": {"number": VISA}}})
    client.post("/webhooks/provider", data=_raw(card_event),
                headers={"Content-Type": "application/json", "Provider-Signature": f"t={NOW},{_signature(_raw(card_event))}"})
    with about(hint="Nothing of a card number may be stored: not in a payment, a transaction, an idempotency record or an event."):
        found = _pans_in_database(db_inspect)
        assert found == [], f"card numbers were stored in the database: {found}"
    assert VISA not in capfd.readouterr().out.replace(" ", ""), "the card number was printed to the output (logs): never log card numbers"
