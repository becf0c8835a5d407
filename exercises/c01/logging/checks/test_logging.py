"""Checks for c01-logging: X-Request-ID honoured or generated, JSON log lines carrying it.
Each check names the brief's numbered requirements it covers (@pytest.mark.req).
The log lines are read by pointing the app's StreamHandler(s) at a buffer during the check."""
import io
import json
import logging
import re
from datetime import datetime

import pytest

from flask_tutor_pytest.helpers import about

HEADER = "X-Request-ID"
ID_SHAPE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
ORDER = "/api/orders/7"


def _stream_handlers(app):
    found = []
    for logger in (app.logger, logging.getLogger()):
        for handler in logger.handlers:
            module = type(handler).__module__
            if (isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler)
                    and not module.startswith(("_pytest", "flask_tutor_pytest")) and handler not in found):
                found.append(handler)
    return found


class Captured:
    def __init__(self):
        self.buffer = io.StringIO()

    def lines(self):
        entries = []
        for line in self.buffer.getvalue().splitlines():
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                entry = None
            assert isinstance(entry, dict), f"every log line should be one JSON object, got a line that is not JSON: {line[:200]!r}"
            entries.append(entry)
        return entries


@pytest.fixture
def capture():
    """capture(app): point the app's stream handlers at one buffer (restored after the check)."""
    restore = []

    def start(app):
        handlers = _stream_handlers(app)
        with about(hint="In create_app(), add a `logging.StreamHandler()` with your JSON formatter to `app.logger`.",
                   blame="app"):
            assert handlers, ("create_app() should install a logging.StreamHandler on app.logger or the root logger; "
                              "found none")
        captured = Captured()
        for handler in handlers:
            restore.append((handler, handler.setStream(captured.buffer)))
        return captured

    yield start
    for handler, stream in restore:
        if stream is not None:
            handler.setStream(stream)


@pytest.mark.req(1)
def test_echoes_valid_id(client):
    """A well-formed X-Request-ID is echoed unchanged"""
    for value in ("trace-123", "a.B_9-z", "x" * 64):
        response = client.get(ORDER, headers={HEADER: value})
        got = response.headers.get(HEADER)
        assert got == value, f"a request with {HEADER}: {value} should get it echoed unchanged in the response, got {got!r}"


@pytest.mark.req(2)
def test_generates_id(client):
    """Without an id, or with an invalid one, a new random id is sent"""
    ids = []
    for headers in ({}, {}, {HEADER: "x" * 65}, {HEADER: "bad id!"}, {HEADER: "<script>"}):
        response = client.get(ORDER, headers=headers)
        got = response.headers.get(HEADER)
        sent = headers.get(HEADER)
        with about(hint="Only trust an incoming id that matches `^[A-Za-z0-9._-]{1,64}$`; replace anything else."):
            assert sent is None or got != sent, f"an invalid incoming {HEADER} ({sent[:20]!r}...) should be replaced, not echoed"
        assert got and ID_SHAPE.match(got), (
            f"a request with {headers or 'no ' + HEADER} should get a new id of 8-64 characters among A-Z a-z 0-9 . _ - "
            f"in {HEADER}, got {got!r}"
        )
        ids.append(got)
    assert len(set(ids)) == len(ids), f"every request should get a different new id, got {ids}"


@pytest.mark.req(3)
def test_json_lines(app, capture):
    """The handler writes JSON objects with timestamp, level, logger, message; INFO is logged"""
    logs = capture(app)
    app.test_client().get(ORDER)
    app.logger.info("outside %s", "any request")
    entries = logs.lines()
    assert entries, "create_app()'s handler should write INFO lines (is app.logger's level INFO?)"
    for entry in entries:
        for key in ("timestamp", "level", "logger", "message"):
            assert isinstance(entry.get(key), str), f"every JSON log line should have {key!r} as a string, got {entry}"
        try:
            datetime.fromisoformat(entry["timestamp"].replace("Z", "+00:00"))
        except ValueError:
            raise AssertionError(f"timestamp should be ISO 8601 (datetime.fromisoformat), got {entry['timestamp']!r}") from None
    outside = [e for e in entries if e["message"] == "outside any request"]
    assert outside, f"app.logger.info('outside %s', 'any request') should write message 'outside any request', got {entries}"
    assert outside[0]["level"] == "INFO" and outside[0]["logger"] == app.logger.name, (
        f"the line should have level INFO and logger {app.logger.name!r}, got {outside[0]}"
    )


@pytest.mark.req(4)
def test_request_id_in_every_line(app, capture):
    """Every line of a request has its id; outside a request, null"""
    logs = capture(app)
    client = app.test_client()
    for headers in ({HEADER: "trace-abc"}, {}):
        response = client.get(ORDER, headers=headers)
        rid = response.headers.get(HEADER)
        mine = [e for e in logs.lines() if e.get("message") in ("order fetched", "request completed")]
        fetched = [e for e in mine if e.get("message") == "order fetched"]
        assert fetched, f"GET {ORDER} should log the view's 'order fetched' line, got {logs.lines()}"
        with about(hint="Set `record.request_id` in a `logging.Filter` on the handler, from `flask.g`, so every line gets it."):
            assert fetched[-1].get("request_id") == rid, (
                f"the view's 'order fetched' line should have request_id {rid!r} (the response's {HEADER}), got {fetched[-1]}"
            )
        done = [e for e in mine if e.get("message") == "request completed"]
        assert done and done[-1].get("request_id") == rid, (
            f"the 'request completed' line should have request_id {rid!r}, got {done[-1] if done else 'no such line'}"
        )
    app.logger.warning("no request here")
    outside = [e for e in logs.lines() if e.get("message") == "no request here"]
    assert outside and "request_id" in outside[0] and outside[0]["request_id"] is None, (
        f"a line logged outside any request should have \"request_id\": null, got {outside}"
    )


@pytest.mark.req(5)
def test_extra_fields(app, capture):
    """extra= fields become top-level keys"""
    logs = capture(app)
    app.test_client().get(ORDER)
    fetched = [e for e in logs.lines() if e.get("message") == "order fetched"]
    assert fetched and fetched[0].get("order_id") == 7, (
        f"the 'order fetched' line should have \"order_id\": 7 (from extra=), got {fetched}"
    )


@pytest.mark.req(6)
def test_access_line(app, capture):
    """One 'request completed' line per request with method, path, status, duration_ms"""
    logs = capture(app)
    client = app.test_client()
    for url, status in ((ORDER, 200), ("/api/orders/8", 404)):
        response = client.get(url, headers={HEADER: f"access-{status}"})
        assert response.status_code == status, f"GET {url} should answer {status}, got {response.status_code}"
        done = [e for e in logs.lines() if e.get("message") == "request completed" and e.get("request_id") == f"access-{status}"]
        assert len(done) == 1, f"GET {url} should log exactly one 'request completed' line, got {len(done)}: {done}"
        entry = done[0]
        assert entry.get("level") == "INFO", f"the access line should be INFO, got {entry.get('level')!r}"
        assert (entry.get("method"), entry.get("path"), entry.get("status")) == ("GET", url, status), (
            f'the access line should have "method": "GET", "path": "{url}", "status": {status}, got {entry}'
        )
        duration = entry.get("duration_ms")
        assert isinstance(duration, (int, float)) and not isinstance(duration, bool) and duration >= 0, (
            f"duration_ms should be a number, 0 or more, got {duration!r}"
        )


@pytest.mark.req(7)
def test_no_duplicates(app_module, capture):
    """A second create_app() does not duplicate lines"""
    app_module.create_app()
    second = app_module.create_app()
    logs = capture(second)
    second.test_client().get(ORDER, headers={HEADER: "once-only"})
    done = [e for e in logs.lines() if e.get("message") == "request completed" and e.get("request_id") == "once-only"]
    with about(hint="Remove the handlers you installed before adding yours (`app.logger.handlers.clear()`).", blame="app"):
        assert len(done) == 1, (
            f"after create_app() ran again, one request should log one 'request completed' line, got {len(done)} "
            "(handlers added twice?)"
        )
