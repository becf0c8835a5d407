"""Checks for c08-webhooks: registration, signed deliveries (X-Timestamp, X-Signature HMAC over
"<timestamp>." + body), an Idempotency-Key per event, retries with exponential backoff on 5xx,
429, timeouts and refused connections (WEBHOOK_SLEEP records the waits: nobody sleeps), no retry
on other answers, a log of every attempt.

The receivers are real HTTP servers on 127.0.0.1 in threads of this process, each answering from
a plan (503 first, then 200...). Each check names the brief's numbered requirements it covers
(@pytest.mark.req)."""
import hashlib
import hmac
import json
import socket
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from flask_tutor_pytest.helpers import about, expect_json, expect_status

SECRET = "whsec-0123456789abcdef"


class Receiver:
    """An HTTP receiver on 127.0.0.1: answers POSTs from ``plan`` (status codes, or ("slow", s)
    to answer 200 after s seconds), then ``default``; records every request."""

    def __init__(self, plan=(), default=200):
        self.plan = list(plan)
        self.default = default
        self.requests = []  # (headers dict, body bytes, time)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.requests.append(({k: v for k, v in self.headers.items()}, body, time.time()))
                action = receiver.plan.pop(0) if receiver.plan else receiver.default
                if action == "redirect":  # 307: a client that follows it POSTs the same body again
                    self.send_response(307)
                    self.send_header("Location", receiver.url)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if isinstance(action, tuple):
                    time.sleep(action[1])
                    action = 200
                try:
                    self.send_response(action)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the client gave up (a timeout)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d/hook" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def receivers():
    made = []

    def make(plan=(), default=200):
        r = Receiver(plan, default)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


@pytest.fixture
def sleeps(app):
    """The waits the app asked for (WEBHOOK_SLEEP records instead of sleeping)."""
    recorded = []
    app.config["WEBHOOK_SLEEP"] = recorded.append
    app.config["WEBHOOK_TIMEOUT"] = 5.0
    return recorded


def _closed_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return "http://127.0.0.1:%d/hook" % s.getsockname()[1]


def _register(client, url, secret=SECRET):
    response = client.post("/api/webhooks", json={"url": url, "secret": secret})
    expect_status(response, 201, msg=f"POST /api/webhooks with url {url}")
    return expect_json(response)


def _event(client, event_type="order.paid", data=None):
    body = {"type": event_type, "data": data if data is not None else {"order_id": 7}}
    response = client.post("/api/events", json=body)
    with about(hint="Deliver to every webhook, then answer 202 with {'event_id': ..., 'deliveries': [...]}."):
        expect_status(response, 202, msg=f"POST /api/events with {json.dumps(body)}")
    return expect_json(response)


def _expected_signature(timestamp, body, secret=SECRET):
    return "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


@pytest.mark.req(1)
def test_register_and_list_without_secrets(client):
    """POST /api/webhooks answers 201 {id, url}; GET lists them; the secret is never shown."""
    first = _register(client, "https://hooks.example.com/a")
    second = _register(client, "http://127.0.0.1:9/b")
    assert isinstance(first.get("id"), int) and first.get("url") == "https://hooks.example.com/a", f"POST /api/webhooks answered {first}; expected {{\"id\": <integer>, \"url\": ...}}"
    assert first["id"] != second["id"], "two webhooks got the same id"
    response = client.get("/api/webhooks")
    expect_status(response, 200)
    listed = expect_json(response)
    with about(hint="Never answer the secret: it is what proves a delivery is yours."):
        assert SECRET not in response.get_data(as_text=True) and SECRET not in json.dumps(first), "an answer shows the webhook's secret"
    assert [w.get("id") for w in listed.get("webhooks", [])] == [first["id"], second["id"]], f"GET /api/webhooks answered {listed}"


@pytest.mark.parametrize("body", [
    {"url": "ftp://example.com/x", "secret": SECRET}, {"url": "not a url", "secret": SECRET}, {"url": "http://", "secret": SECRET},
    {"url": "https://example.com/x", "secret": "short"}, {"url": "https://example.com/x"}, ["https://example.com/x"],
], ids=["ftp", "no-scheme", "no-host", "short-secret", "no-secret", "not-an-object"])
@pytest.mark.req(1)
def test_invalid_registrations_are_400(client, body):
    response = client.post("/api/webhooks", json=body)
    with about(hint="Check the scheme (http/https) and host with urllib.parse.urlsplit, and len(secret) >= 16."):
        expect_status(response, 400, msg=f"POST /api/webhooks with {json.dumps(body)}")
    assert isinstance(expect_json(response), dict) and "error" in response.get_json(), f"the 400 answered {response.get_json()}; expected {{\"error\": ...}}"


@pytest.mark.req(2, 3, 4)
def test_delivery_is_signed(client, receivers, sleeps):
    """One POST per webhook: the event JSON, X-Timestamp, X-Signature (HMAC over '<ts>.' + body), Idempotency-Key."""
    receiver = receivers()
    webhook = _register(client, receiver.url)
    before = time.time()
    answer = _event(client, "order.paid", {"order_id": 7})
    with about(hint="POST the event JSON with requests, headers X-Timestamp, X-Signature and Idempotency-Key."):
        assert len(receiver.requests) == 1, f"the receiver got {len(receiver.requests)} request(s) for one event answered 200; expected 1"
        headers, body, _ = receiver.requests[0]
        try:
            event = json.loads(body)
        except ValueError:
            raise AssertionError(f"the delivery's body is not JSON: {body[:200]!r}") from None
        assert event.get("type") == "order.paid" and event.get("data") == {"order_id": 7} and event.get("id") == answer.get("event_id"), (
            f"the receiver got {event}; expected {{\"id\": \"{answer.get('event_id')}\" (the event_id answered), \"type\": \"order.paid\", \"data\": {{\"order_id\": 7}}, ...}}"
        )
        uuid.UUID(str(event["id"]))
        assert "occurred_at" in event, f"the delivered event {event} has no occurred_at"
        assert headers.get("Content-Type", "").startswith("application/json"), f"the delivery's Content-Type is {headers.get('Content-Type')!r}"
    with about(hint="X-Signature: 'sha256=' + hmac.new(secret.encode(), f'{ts}.'.encode() + body, hashlib.sha256).hexdigest()."):
        timestamp = headers.get("X-Timestamp")
        assert timestamp is not None and timestamp.isdigit(), f"the delivery's X-Timestamp is {timestamp!r}; expected the Unix time in whole seconds"
        assert abs(int(timestamp) - before) < 120, f"X-Timestamp {timestamp} is not the time of the delivery ({int(before)})"
        expected = _expected_signature(timestamp, body)
        assert headers.get("X-Signature") == expected, (
            f"the delivery's X-Signature is {headers.get('X-Signature')!r}; expected {expected!r}: HMAC-SHA256 keyed with the webhook's "
            f"secret over b'{timestamp}.' + the exact body bytes sent"
        )
    with about(hint="Send the event id as Idempotency-Key."):
        assert headers.get("Idempotency-Key") == event["id"], f"the delivery's Idempotency-Key is {headers.get('Idempotency-Key')!r}; expected the event's id {event['id']!r}"
    assert answer.get("deliveries") == [{"webhook_id": webhook["id"], "status": "delivered", "attempts": 1}], f"POST /api/events answered {answer}"
    assert sleeps == [], f"the app waited {sleeps} for a delivery that succeeded at once; expected no wait"


@pytest.mark.req(3, 4, 5)
def test_5xx_is_retried_with_exponential_backoff(app, client, receivers, sleeps):
    """503, 503, then 200: three attempts, waits base and 2*base, the same key and body, fresh signatures."""
    app.config.update(WEBHOOK_BACKOFF_BASE=0.25, WEBHOOK_MAX_ATTEMPTS=5)
    receiver = receivers(plan=[503, 503])
    webhook = _register(client, receiver.url)
    answer = _event(client)
    with about(hint="Retry a 5xx: before attempt k+1 call app.config['WEBHOOK_SLEEP'](WEBHOOK_BACKOFF_BASE * 2 ** (k - 1))."):
        assert len(receiver.requests) == 3, f"the receiver answered 503, 503, then 200; it got {len(receiver.requests)} attempt(s); expected 3 (a 5xx is retried)"
        assert sleeps == [0.25, 0.5], f"with WEBHOOK_BACKOFF_BASE=0.25 the app waited {sleeps} between the 3 attempts; expected [0.25, 0.5] (exponential backoff: base * 2 ** (k - 1))"
    assert answer.get("deliveries") == [{"webhook_id": webhook["id"], "status": "delivered", "attempts": 3}], f"POST /api/events answered {answer}; expected delivered after 3 attempts"
    keys = [h.get("Idempotency-Key") for h, _, _ in receiver.requests]
    with about(hint="The Idempotency-Key is the event id, the same on every retry."):
        assert len(set(keys)) == 1 and keys[0] == answer.get("event_id"), f"the 3 attempts of one event carried Idempotency-Key {keys}; expected the event id {answer.get('event_id')!r} on each"
    bodies = {b for _, b, _ in receiver.requests}
    assert len(bodies) == 1, "the retries sent different bodies: serialize the event once and send the same bytes"
    for headers, body, _ in receiver.requests:
        ts = headers.get("X-Timestamp", "")
        assert headers.get("X-Signature") == _expected_signature(ts, body), f"a retry's X-Signature {headers.get('X-Signature')!r} does not match its X-Timestamp {ts!r} and body: sign every attempt"
    other = _event(client, "order.shipped")
    assert receiver.requests[-1][0].get("Idempotency-Key") == other.get("event_id") != answer.get("event_id"), "another event must carry its own Idempotency-Key"


@pytest.mark.req(5)
def test_gives_up_after_max_attempts(app, client, receivers, sleeps):
    """Always 500: WEBHOOK_MAX_ATTEMPTS attempts, then failed; no wait after the last."""
    app.config.update(WEBHOOK_BACKOFF_BASE=0.5, WEBHOOK_MAX_ATTEMPTS=3)
    receiver = receivers(default=500)
    webhook = _register(client, receiver.url)
    answer = _event(client)
    with about(hint="Stop after WEBHOOK_MAX_ATTEMPTS attempts in all, and do not sleep after the last one."):
        assert len(receiver.requests) == 3, f"a receiver that always answers 500 got {len(receiver.requests)} attempt(s) with WEBHOOK_MAX_ATTEMPTS=3; expected 3"
        assert sleeps == [0.5, 1.0], f"the app waited {sleeps}; expected [0.5, 1.0] (no wait after the last attempt)"
        assert answer.get("deliveries") == [{"webhook_id": webhook["id"], "status": "failed", "attempts": 3}], f"POST /api/events answered {answer}; expected failed after 3 attempts"


@pytest.mark.req(5)
def test_timeouts_and_429_are_retried(app, client, receivers, sleeps):
    """A slow answer (beyond WEBHOOK_TIMEOUT) and a 429 are retried."""
    app.config.update(WEBHOOK_TIMEOUT=0.5, WEBHOOK_BACKOFF_BASE=0.1)
    slow = receivers(plan=[("slow", 2.0)])
    limited = receivers(plan=[429])
    _register(client, slow.url)
    _register(client, limited.url)
    started = time.monotonic()
    answer = _event(client)
    elapsed = time.monotonic() - started
    with about(hint="Pass timeout=app.config['WEBHOOK_TIMEOUT'] to requests.post and retry on requests.Timeout; retry a 429 like a 5xx."):
        assert elapsed < 1.9, f"the first attempt's receiver answered after 2 s, WEBHOOK_TIMEOUT is 0.5 s, and POST /api/events took {elapsed:.1f} s: pass the timeout to requests"
        assert [d.get("status") for d in answer.get("deliveries", [])] == ["delivered", "delivered"], f"POST /api/events answered {answer}; expected both delivered on their second attempt"
        assert [d.get("attempts") for d in answer["deliveries"]] == [2, 2], f"POST /api/events answered {answer}; expected 2 attempts each (a timeout and a 429 are retried)"


@pytest.mark.parametrize("status", [400, 410, 301])
@pytest.mark.req(6)
def test_other_answers_are_not_retried(client, receivers, sleeps, status):
    receiver = receivers(default=status)
    webhook = _register(client, receiver.url)
    answer = _event(client)
    with about(hint="Retry only 5xx, 429 and failures to connect or to answer in time; any other answer is final."):
        assert len(receiver.requests) == 1, f"a receiver answering {status} got {len(receiver.requests)} attempt(s); expected 1: a {status} will not change on retry"
        assert answer.get("deliveries") == [{"webhook_id": webhook["id"], "status": "failed", "attempts": 1}], f"POST /api/events answered {answer}; expected failed after 1 attempt"
        assert sleeps == [], f"the app waited {sleeps} after a final {status}; expected no wait"


@pytest.mark.req(6)
def test_redirects_are_not_followed(client, receivers, sleeps):
    """A 3xx is a final answer: the app does not follow its Location (requests does by default)."""
    receiver = receivers(plan=["redirect"])
    webhook = _register(client, receiver.url)
    answer = _event(client)
    with about(hint="A 3xx is final: pass allow_redirects=False to requests.post (it follows redirects by default, even for a POST answered 307)."):
        assert len(receiver.requests) == 1, (
            f"the receiver answered 307 Temporary Redirect (Location: its own URL) and got {len(receiver.requests)} POSTs; expected 1: "
            "a redirect is a final answer, not followed"
        )
        assert answer.get("deliveries") == [{"webhook_id": webhook["id"], "status": "failed", "attempts": 1}], (
            f"the receiver answered 307 to the first POST; POST /api/events answered {answer}; expected failed after 1 attempt (a 3xx is final)"
        )


@pytest.mark.req(3)
def test_each_retry_has_its_own_timestamp(app, client, receivers):
    """A retry one second later is signed with its own X-Timestamp, not the first attempt's."""
    app.config.update(WEBHOOK_BACKOFF_BASE=0.25, WEBHOOK_MAX_ATTEMPTS=3, WEBHOOK_TIMEOUT=5.0)
    app.config["WEBHOOK_SLEEP"] = lambda seconds: time.sleep(1.1)  # really wait, so the clock moves on
    receiver = receivers(plan=[503])
    _register(client, receiver.url)
    _event(client)
    stamps = [h.get("X-Timestamp") for h, _, _ in receiver.requests]
    assert len(stamps) == 2, f"the receiver answered 503 then 200 and got {len(stamps)} attempt(s); expected 2"
    with about(hint="Take the timestamp (int(time.time())) and compute the signature inside the loop, once per attempt."):
        same_stamp = stamps[0] == stamps[1]
        assert not same_stamp, (
            "the retry, sent more than 1 s after the first attempt, carried the same X-Timestamp as the first attempt; "
            "expected its own (each attempt is signed again with the time it is sent)"
        )
        for headers, body, _ in receiver.requests:
            ts = headers.get("X-Timestamp", "")
            assert headers.get("X-Signature") == _expected_signature(ts, body), "a retry's X-Signature does not match its own X-Timestamp and body: sign every attempt"


@pytest.mark.req(7)
def test_delivery_log(app, client, receivers, sleeps):
    """GET /api/webhooks/<id>/deliveries: one entry per attempt, oldest first; 404 for an unknown id."""
    app.config.update(WEBHOOK_MAX_ATTEMPTS=2)
    receiver = receivers(plan=[502])
    webhook = _register(client, receiver.url)
    down = _register(client, _closed_url())
    answer = _event(client)
    response = client.get(f"/api/webhooks/{webhook['id']}/deliveries")
    expect_status(response, 200)
    log = expect_json(response).get("deliveries")
    expected = [
        {"event_id": answer.get("event_id"), "attempt": 1, "status_code": 502, "error": None, "delivered": False},
        {"event_id": answer.get("event_id"), "attempt": 2, "status_code": 200, "error": None, "delivered": True},
    ]
    with about(hint="Append {'event_id', 'attempt', 'status_code', 'error', 'delivered'} to the webhook's log after every attempt."):
        assert log == expected, f"after a 502 then a 200, GET /api/webhooks/{webhook['id']}/deliveries answered {log}; expected {expected}"
        refused = expect_json(client.get(f"/api/webhooks/{down['id']}/deliveries")).get("deliveries")
        assert isinstance(refused, list) and len(refused) == 2, f"the webhook on a closed port has the log {refused}; expected 2 attempts"
        for entry in refused:
            assert entry.get("status_code") is None and isinstance(entry.get("error"), str) and entry["error"] and entry.get("delivered") is False, (
                f"an attempt that got no answer (connection refused) is logged as {entry}; expected status_code null, error a text, delivered false"
            )
    expect_status(client.get("/api/webhooks/999/deliveries"), 404, msg="GET /api/webhooks/999/deliveries (no such webhook)")


@pytest.mark.req(5, 8)
def test_a_dead_receiver_does_not_fail_the_event(app, client, receivers, sleeps):
    """One webhook on a closed port, one working: 202, the working one delivered."""
    app.config.update(WEBHOOK_MAX_ATTEMPTS=3)
    dead = _register(client, _closed_url())
    receiver = receivers()
    alive = _register(client, receiver.url)
    answer = _event(client)
    with about(hint="Catch requests.RequestException per attempt: a connection error is a failed attempt, retried, never a 500."):
        assert answer.get("deliveries") == [
            {"webhook_id": dead["id"], "status": "failed", "attempts": 3},
            {"webhook_id": alive["id"], "status": "delivered", "attempts": 1},
        ], f"with one webhook on a closed port and one working, POST /api/events answered {answer}"
        assert len(receiver.requests) == 1, "the working webhook did not get the event"


@pytest.mark.parametrize("body", [{"data": {}}, {"type": ""}, {"type": "order.paid", "data": [1]}, ["order.paid"]], ids=["no-type", "empty-type", "data-list", "not-an-object"])
@pytest.mark.req(2)
def test_invalid_events_are_400_and_not_delivered(client, receivers, body):
    receiver = receivers()
    _register(client, receiver.url)
    response = client.post("/api/events", json=body)
    expect_status(response, 400, msg=f"POST /api/events with {json.dumps(body)}")
    assert receiver.requests == [], f"POST /api/events with {json.dumps(body)} answered 400 but delivered something"
