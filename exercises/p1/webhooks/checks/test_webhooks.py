"""Checks for p1-webhooks: task events POSTed to registered URLs, signed with HMAC-SHA256, retried
on 5xx and network errors (at most 3 attempts), with an idempotency key; the deliveries log and
redelivery. A real HTTP receiver runs on 127.0.0.1 in a thread of the check.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from flask_tutor_pytest.helpers import about

TASKS = "/api/tasks"
HOOKS = "/api/webhooks"
PASSWORD = "correct horse"
SECRET = "s3cret-s3cret-s3cret"


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


@pytest.fixture(autouse=True)
def _no_retry_wait(app):
    app.config["WEBHOOK_RETRY_DELAY"] = 0  # the brief: read when sending


class Receiver:
    """A webhook receiver: answers the statuses of `script` in turn (then 200; an entry
    (seconds, status) answers after that pause), records every request and when it came, and
    processes each X-Webhook-Id once, as a careful receiver does."""

    def __init__(self):
        self.script = []
        self.received = []  # (headers, body bytes)
        self.times = []  # time.monotonic() of each request
        self.processed = {}  # X-Webhook-Id -> body
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                    receiver.times.append(time.monotonic())
                    status = receiver.script.pop(0) if receiver.script else 200
                    pause, status = status if isinstance(status, tuple) else (0, status)
                    key = self.headers.get("X-Webhook-Id")
                    if 200 <= status < 300 and key not in receiver.processed:
                        receiver.processed[key] = body
                time.sleep(pause)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the sender stopped waiting (its timeout)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _closed_port_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


def _json(response, what):
    body = response.get_json(silent=True)
    assert body is not None, f"{what} should answer JSON, got {response.status_code} {response.get_data(as_text=True)[:200]!r}"
    return body


def _user(client, username):
    response = client.post("/api/auth/register", json={"username": username, "password": PASSWORD})
    assert response.status_code == 201, f"POST /api/auth/register should answer 201 (stage 2), got {response.status_code}"
    user = _json(response, "register")
    response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    return user["id"], {"Authorization": f"Bearer {_json(response, 'login')['access_token']}"}


def _hook(client, headers, url, secret=SECRET):
    response = client.post(HOOKS, json={"url": url, "secret": secret}, headers=headers)
    with about(hint="Add the webhooks namespace (path `/api/webhooks`) to the Api in create_app()."):
        assert response.status_code == 201, f"POST {HOOKS} with a valid url and secret should answer 201, got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    return _json(response, f"POST {HOOKS}")


def _task(client, headers, title="Write the report"):
    response = client.post(TASKS, json={"title": title}, headers=headers)
    assert response.status_code == 201, f"POST {TASKS} should answer 201 (stage 1), got {response.status_code}"
    return _json(response, f"POST {TASKS}")


def _deliveries(client, headers, hook_id):
    response = client.get(f"{HOOKS}/{hook_id}/deliveries", headers=headers)
    assert response.status_code == 200, f"GET {HOOKS}/{hook_id}/deliveries should answer 200, got {response.status_code}"
    return _json(response, "the deliveries")


@pytest.mark.req(1)
def test_register_webhooks(client):
    """Register (201, id and url only), validate, list your own, delete (204; 404 for others); 401 without a token"""
    _, a = _user(client, "alice")
    _, b = _user(client, "bob")
    hook = _hook(client, a, "https://example.com/hooks")
    assert set(hook) == {"id", "url"} and hook["url"] == "https://example.com/hooks", (
        f"POST {HOOKS} should answer exactly {{'id', 'url'}} (never the secret), got {hook}"
    )
    second = _hook(client, a, "http://127.0.0.1:9/x", "k" * 128)
    _hook(client, b, "https://bob.example/hook", "k" * 16)
    bad = [{"url": "ftp://example.com/x", "secret": SECRET}, {"url": "example.com/x", "secret": SECRET},
           {"url": "https://", "secret": SECRET}, {"url": "https://example.com", "secret": "k" * 15},
           {"url": "https://example.com", "secret": "k" * 129}, {"url": "https://example.com"}, {"secret": SECRET}]
    for body in bad:
        response = client.post(HOOKS, json=body, headers=a)
        assert response.status_code == 400, f"POST {HOOKS} with {str(body)[:90]} should answer 400, got {response.status_code}"
    listed = _json(client.get(HOOKS, headers=a), f"GET {HOOKS}")
    assert listed == [hook, second], f"GET {HOOKS} should list alice's two webhooks, oldest first, got {listed}"
    assert SECRET not in json.dumps(listed), "GET /api/webhooks must never show a secret"
    assert client.delete(f"{HOOKS}/{hook['id']}", headers=b).status_code == 404, "bob's DELETE of alice's webhook should answer 404"
    response = client.delete(f"{HOOKS}/{hook['id']}", headers=a)
    assert response.status_code == 204, f"alice's DELETE {HOOKS}/{hook['id']} should answer 204, got {response.status_code}"
    assert _json(client.get(HOOKS, headers=a), "GET") == [second], "after DELETE the webhook should be gone"
    assert client.get(HOOKS).status_code == 401, f"GET {HOOKS} without a token should answer 401"


@pytest.mark.req(2)
def test_events(client, receiver):
    """Create, update and delete send task.created/updated/deleted with the task, to the owner's webhooks only (not the assignee's)"""
    _, a = _user(client, "alice")
    bob_id, b = _user(client, "bob")
    _hook(client, a, receiver.url)
    bob_receiver = Receiver()
    try:
        _hook(client, b, bob_receiver.url)
        response = client.post(TASKS, json={"title": "Write the report", "assignee_id": bob_id}, headers=a)
        assert response.status_code == 201, f"POST {TASKS} should answer 201 (stages 1-3), got {response.status_code}"
        task = _json(response, f"POST {TASKS}")
        with about(hint="After the commit, call a `notify(owner_id, event, task_json)` that POSTs to each of the owner's webhooks (use `marshal(task, task_output)` for the task)."):
            assert len(receiver.received) == 1, f"creating a task should POST one delivery to alice's webhook before the API answers, got {len(receiver.received)}"
        changed = _json(client.patch(f"{TASKS}/{task['id']}", json={"status": "done"}, headers=a), "PATCH")
        assert client.delete(f"{TASKS}/{task['id']}", headers=a).status_code == 204, "DELETE of the task should answer 204"
        bodies = [json.loads(body) for _h, body in receiver.received]
        assert [x.get("event") for x in bodies] == ["task.created", "task.updated", "task.deleted"], (
            f"alice's webhook should get task.created, task.updated, task.deleted in that order, got {[x.get('event') for x in bodies]}"
        )
        for body, expected in zip(bodies, (task, changed, changed)):
            assert set(body) == {"id", "event", "task"} and body["task"] == expected, (
                f"a delivery's body should be {{'id', 'event', 'task'}} with the task as the API answers it ({expected}), got {body}"
            )
        assert bob_receiver.received == [], "bob's webhook must get nothing about alice's task (bob is its assignee, not its owner)"
        [hook] = _json(client.get(HOOKS, headers=a), "GET /api/webhooks")
        assert client.delete(f"{HOOKS}/{hook['id']}", headers=a).status_code == 204, "DELETE of the webhook should answer 204"
        _task(client, a, "after the webhook was deleted")
        with about(hint="notify() should read the owner's webhooks when the event happens: a deleted one is gone."):
            assert len(receiver.received) == 3, f"after DELETE /api/webhooks/{hook['id']} no more events should go to its URL, got {len(receiver.received) - 3} more"
    finally:
        bob_receiver.close()


@pytest.mark.req(3)
def test_signature_and_headers(client, receiver):
    """Content-Type, X-Webhook-Event, X-Webhook-Id and X-Webhook-Signature: sha256=HMAC-SHA256(secret, exact body)"""
    _, a = _user(client, "alice")
    _hook(client, a, receiver.url)
    _task(client, a)
    assert receiver.received, "creating a task should POST a delivery to the webhook"
    headers, body = receiver.received[0]
    payload = json.loads(body)
    assert headers.get("content-type", "").split(";")[0].strip() == "application/json", f"Content-Type should be application/json, got {headers.get('content-type')!r}"
    assert headers.get("x-webhook-event") == "task.created", f"X-Webhook-Event should be task.created, got {headers.get('x-webhook-event')!r}"
    assert headers.get("x-webhook-id") == payload["id"], f"X-Webhook-Id should equal the body's id {payload['id']!r}, got {headers.get('x-webhook-id')!r}"
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    with about(hint="Sign the bytes you send, not a re-serialised dict: `hmac.new(secret.encode(), body_bytes, hashlib.sha256).hexdigest()`, and send exactly those bytes (`requests.post(url, data=body_bytes, ...)`)."):
        assert headers.get("x-webhook-signature") == expected, (
            f"X-Webhook-Signature should be {expected} (HMAC-SHA256 of the exact body with the webhook's secret), got {headers.get('x-webhook-signature')!r}"
        )


@pytest.mark.req(4, 6)
def test_retries(client, receiver):
    """5xx: retried up to 3 attempts in all; 2xx stops; 4xx is not retried; no answer is retried"""
    _, a = _user(client, "alice")
    hook = _hook(client, a, receiver.url)
    receiver.script[:] = [503, 200]
    _task(client, a, "second attempt works")
    with about(hint="Loop: up to 3 attempts; stop on 2xx, stop on other non-5xx answers, retry on 5xx and on `requests.RequestException`."):
        assert len(receiver.received) == 2, f"503 then 200 should make exactly 2 attempts, got {len(receiver.received)}"
        receiver.script[:] = [500, 502, 500, 200]
        _task(client, a, "always failing")
        assert len(receiver.received) == 5, f"three 5xx answers should make exactly 3 attempts (at most 3 in all), got {len(receiver.received) - 2}"
        receiver.script[:] = [404]
        _task(client, a, "refused")
        assert len(receiver.received) == 6, f"a 404 answer should not be retried (1 attempt), got {len(receiver.received) - 5}"
    log = _deliveries(client, a, hook["id"])
    got = [{k: d.get(k) for k in ("event", "attempts", "status_code", "delivered")} for d in log]
    expected = [{"event": "task.created", "attempts": 2, "status_code": 200, "delivered": True},
                {"event": "task.created", "attempts": 3, "status_code": 500, "delivered": False},
                {"event": "task.created", "attempts": 1, "status_code": 404, "delivered": False}]
    assert got == expected, f"GET {HOOKS}/{hook['id']}/deliveries should record {expected}, got {got}"
    assert all(set(d) == {"id", "event", "attempts", "status_code", "delivered"} for d in log), f"each delivery should have exactly id, event, attempts, status_code, delivered, got {log}"
    down = _hook(client, a, _closed_port_url())
    response = client.post(TASKS, json={"title": "nobody listens"}, headers=a)
    assert response.status_code == 201, f"a webhook that does not answer must not break the API: POST {TASKS} should answer 201, got {response.status_code}"
    log = _deliveries(client, a, down["id"])
    assert [(d.get("attempts"), d.get("status_code"), d.get("delivered")) for d in log] == [(3, None, False)], (
        f"a URL that refuses connections should be tried 3 times and recorded with status_code null, got {log}"
    )


@pytest.mark.req(4)
def test_retry_pauses(client, receiver, app):
    """WEBHOOK_RETRY_DELAY before the 2nd attempt, twice that before the 3rd"""
    _, a = _user(client, "alice")
    _hook(client, a, receiver.url)
    app.config["WEBHOOK_RETRY_DELAY"] = 0.2
    receiver.script[:] = [500, 500, 500]
    _task(client, a)
    assert len(receiver.times) == 3, f"three 500 answers should make 3 attempts, got {len(receiver.times)}"
    first, second = receiver.times[1] - receiver.times[0], receiver.times[2] - receiver.times[1]
    with about(hint="Sleep `delay * 2 ** (attempt - 1)` between attempts, reading `current_app.config[\"WEBHOOK_RETRY_DELAY\"]` when sending."):
        assert 0.18 <= first < 1.5, f"with WEBHOOK_RETRY_DELAY = 0.2 the 2nd attempt should come about 0.2 s after the 1st, came after {first:.2f} s"
        assert 0.38 <= second < 2.5, f"the 3rd attempt should come about 0.4 s (twice the delay) after the 2nd, came after {second:.2f} s"


@pytest.mark.req(4, 5)
def test_timeout_then_retry(client, receiver, app):
    """No answer within WEBHOOK_TIMEOUT is retried with the same id; the receiver processes it once"""
    _, a = _user(client, "alice")
    hook = _hook(client, a, receiver.url)
    app.config["WEBHOOK_TIMEOUT"] = 0.3
    receiver.script[:] = [(1.0, 200)]  # a slow 200: processed, but too late for the sender
    _task(client, a)
    with about(hint="Pass `timeout=current_app.config[\"WEBHOOK_TIMEOUT\"]` to the request and treat a timeout like a 5xx: retry."):
        assert len(receiver.received) == 2, f"an answer slower than WEBHOOK_TIMEOUT should be retried once the sender stops waiting: expected 2 attempts, got {len(receiver.received)}"
    assert receiver.received[0][0].get("x-webhook-id") == receiver.received[1][0].get("x-webhook-id"), "the retry after a timeout should carry the same X-Webhook-Id"
    assert len(receiver.processed) == 1, "the receiver should process the event once (it remembers the id)"
    [delivery] = _deliveries(client, a, hook["id"])
    assert (delivery["attempts"], delivery["status_code"], delivery["delivered"]) == (2, 200, True), f"the delivery should show 2 attempts, status 200, delivered, got {delivery}"


@pytest.mark.req(5)
def test_idempotency_key(client, receiver):
    """Every attempt of a delivery carries the same X-Webhook-Id and the same bytes; each event gets a new id"""
    _, a = _user(client, "alice")
    _hook(client, a, receiver.url)
    second = Receiver()
    try:
        _hook(client, a, second.url)
        receiver.script[:] = [500, 500]
        task = _task(client, a)
        attempts = receiver.received
        assert len(attempts) == 3, f"two 500s then 200 should make 3 attempts, got {len(attempts)}"
        ids = {h.get("x-webhook-id") for h, _b in attempts}
        with about(hint="Make the id (uuid4) and the body once per delivery, before the first attempt, and reuse both on every retry."):
            assert len(ids) == 1 and None not in ids, f"every attempt of one delivery should carry the same X-Webhook-Id, got {ids}"
            assert len({b for _h, b in attempts}) == 1, "every attempt of one delivery should send byte-identical bodies"
        assert len(receiver.processed) == 1, "the receiver should process the delivery once"
        client.patch(f"{TASKS}/{task['id']}", json={"status": "done"}, headers=a)
        all_ids = [h.get("x-webhook-id") for h, _b in receiver.received + second.received]
        assert len(set(all_ids)) == 4, (
            f"each event and each webhook should get its own X-Webhook-Id (2 events x 2 webhooks = 4 ids), got {len(set(all_ids))}: {set(all_ids)}"
        )
    finally:
        second.close()


@pytest.mark.req(7)
def test_redeliver(client, receiver):
    """Redeliver sends the same id and bytes again, answers the delivery; the receiver processes it once; 404 otherwise"""
    _, a = _user(client, "alice")
    _, b = _user(client, "bob")
    hook = _hook(client, a, receiver.url)
    receiver.script[:] = [400]
    _task(client, a)
    [delivery] = _deliveries(client, a, hook["id"])
    assert (delivery["attempts"], delivery["status_code"], delivery["delivered"]) == (1, 400, False), f"a 400 answer should be recorded as 1 attempt, not delivered, got {delivery}"
    url = f"{HOOKS}/{hook['id']}/deliveries/{delivery['id']}/redeliver"
    for _ in range(2):
        response = client.post(url, headers=a)
        assert response.status_code == 200, f"POST {url} should answer 200, got {response.status_code}"
    again = _json(response, url)
    assert again["id"] == delivery["id"] and again["delivered"] is True and again["attempts"] == 3 and again["status_code"] == 200, (
        f"after two redeliveries answered 200 the delivery should show the same id, delivered true, attempts 3, status_code 200, got {again}"
    )
    (_h0, first), *rest = receiver.received
    assert len(rest) == 2 and all(h.get("x-webhook-id") == delivery["id"] and body == first for h, body in rest), (
        "a redelivery should send the same X-Webhook-Id and the same bytes as the first attempt"
    )
    assert list(receiver.processed) == [delivery["id"]], "the receiver should have processed the event once, whatever the redeliveries"
    for who, hdrs, target in (("bob", b, url), ("alice", a, f"{HOOKS}/{hook['id']}/deliveries/nope/redeliver")):
        response = client.post(target, headers=hdrs)
        assert response.status_code == 404, f"{who}'s POST {target} should answer 404, got {response.status_code}"


@pytest.mark.req(8)
def test_openapi(client):
    """swagger.json documents the webhook paths and models"""
    spec = _json(client.get("/swagger.json"), "GET /swagger.json")
    paths = spec.get("paths") or {}
    for path in ("/api/webhooks", "/api/webhooks/{webhook_id}", "/api/webhooks/{webhook_id}/deliveries",
                 "/api/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver"):
        assert path in paths, f"the OpenAPI document should describe {path}, got {sorted(p for p in paths if 'webhook' in p)}"
    models = set(spec.get("definitions") or {})
    for name in ("Webhook", "WebhookInput", "WebhookDelivery"):
        assert name in models, f"the OpenAPI document should define a model named {name}, got {sorted(models)}"
