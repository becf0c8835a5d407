"""Checks for c08-aggregation: events in (one or a batch), per-type counts/sums/min/max in tumbling
windows by an injected clock (CLOCK), late events refused, GET /api/aggregates, and the
Server-Sent Events stream of closed windows (retry, id/event/data, blank lines, Last-Event-ID,
heartbeat comments).

The stream never ends by itself, so the checks read it through the test client with
buffered=False, chunk by chunk, and stop after the events they need (or after a few seconds of
heartbeats); a stream that never yields anything runs into the check's time limit. Each check
names the brief's numbered requirements it covers (@pytest.mark.req)."""
import json
import re
import time

import pytest

from flask_tutor_pytest.helpers import about, expect_json, expect_status


class FakeClock:
    """CLOCK for the app: a Unix time the checks move by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


CLOCK = FakeClock()
STREAM = "/api/aggregates/stream"
BASE = dict(CLOCK=CLOCK, WINDOW_SECONDS=60, ALLOWED_LATENESS=5, SSE_POLL_SECONDS=0.02, SSE_HEARTBEAT_SECONDS=0.1)
pytestmark = pytest.mark.app_config(**BASE)


HEARTBEAT_HINT = (
    "A stream must yield regularly: in the loop, when nothing was sent for SSE_HEARTBEAT_SECONDS, "
    "`yield \": heartbeat\\n\\n\"`, then `time.sleep(SSE_POLL_SECONDS)`. A generator that only sleeps sends nothing, "
    "and a reader (like this check) waits until its time limit."
)


@pytest.fixture(autouse=True)
def _clock_at_1000():
    CLOCK.now = 1000.0
    yield


def _post(client, body, status=202):
    response = client.post("/api/events", json=body)
    return expect_json(response, status=status, msg=None)


def _windows(client, query=""):
    body = expect_json(client.get("/api/aggregates" + query), status=200)
    assert isinstance(body, dict) and isinstance(body.get("windows"), list), f'GET /api/aggregates{query} must answer {{"window_seconds": ..., "windows": [...]}}; got {body!r}'
    return body


def _stats(window, kind):
    for entry in window.get("aggregates", []):
        if entry.get("type") == kind:
            return {k: entry.get(k) for k in ("count", "sum", "min", "max")}
    return None


class Stream:
    """Reads a text/event-stream answer of the test client block by block (a block ends with a blank line)."""

    def __init__(self, client, last_event_id=None):
        headers = {"Last-Event-ID": last_event_id} if last_event_id is not None else {}
        self.response = client.get(STREAM, headers=headers, buffered=False)
        expect_status(self.response, 200)
        self._chunks = None
        self._buffer = ""

    def block(self, seconds=5.0):
        """The next block's lines, or None when none was complete within `seconds` (checked between chunks)."""
        if self._chunks is None:
            self._chunks = iter(self.response.response)
        deadline = time.monotonic() + seconds
        while "\n\n" not in self._buffer:
            if time.monotonic() > deadline:
                return None
            try:
                chunk = next(self._chunks)
            except StopIteration:
                return None
            text = chunk.decode("utf-8") if isinstance(chunk, bytes) else chunk
            self._buffer = (self._buffer + text).replace("\r\n", "\n").replace("\r", "\n")
        head, self._buffer = self._buffer.split("\n\n", 1)
        return head.split("\n")

    def event(self, seconds=5.0, seen=None):
        """The next block with a data line, as {"id", "event", "data"} (comments and retry-only blocks skipped)."""
        deadline = time.monotonic() + seconds
        while True:
            lines = self.block(max(0.0, deadline - time.monotonic()))
            if lines is None:
                return None
            if seen is not None:
                seen.extend(lines)
            fields = {"data": []}
            for line in lines:
                if not line or line.startswith(":"):
                    continue
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "data":
                    fields["data"].append(value)
                else:
                    fields[name] = value
            if fields["data"]:
                fields["data"] = "\n".join(fields["data"])
                return fields

    def close(self):
        self.response.close()


def _window_event(stream, what, seconds=5.0):
    event = stream.event(seconds)
    assert event is not None, (
        f"GET {STREAM} sent no event within {seconds:g} s after {what}: each closed window must be sent as an event "
        "(id, event and data lines ended by a blank line)"
    )
    try:
        data = json.loads(event["data"])
    except ValueError:
        data = None
    assert isinstance(data, dict), f"the data line of a window event must be the window as JSON; got {event['data']!r}"
    return event, data


@pytest.mark.req(1)
def test_ingest_one_or_a_batch(client):
    """One event or a list: 202 {"accepted", "late"}; value defaults to 1, ts to CLOCK()."""
    with about(hint="Accept a dict or a list of dicts; answer `{\"accepted\": n, \"late\": m}, 202`."):
        body = _post(client, {"type": "click", "value": 2.5, "ts": 1001})
        assert body == {"accepted": 1, "late": 0}, f"POST /api/events with one event answered {body}; expected {{\"accepted\": 1, \"late\": 0}}"
        body = _post(client, [{"type": "click", "value": 1, "ts": 1002}, {"type": "view", "ts": 1003}, {"type": "view"}])
        assert body == {"accepted": 3, "late": 0}, f"POST /api/events with a list of 3 events answered {body}; expected {{\"accepted\": 3, \"late\": 0}}"
    window = _windows(client)["windows"]
    views = _stats(window[0], "view") if window else None
    assert views == {"count": 2, "sum": 2, "min": 1, "max": 1}, (
        f"two view events without value or ts (at CLOCK() = 1000) gave {views} in window 960; expected count 2, sum 2, min 1, max 1: value defaults to 1 and ts to CLOCK()"
    )


@pytest.mark.req(1)
def test_bad_batches_are_refused_whole(client):
    """A bad event answers 400 {"error"} and no event of that batch counts."""
    bad = [[], "click", [{"type": "click"}, {"type": ""}], [{"type": "click", "value": "3"}], [{"type": "click", "value": True}],
           [{"type": "click", "ts": "yesterday"}], [{"value": 1}], [{"type": "x" * 65}], [{"type": "click"}] * 1001]
    with about(hint="Validate the whole batch first, then add it: a client resends a refused batch, so half of it must not have counted."):
        for body in bad:
            response = client.post("/api/events", json=body)
            shown = json.dumps(body)[:80]
            expect_status(response, 400, msg=f"POST /api/events with {shown} must answer 400")
            payload = response.get_json(silent=True)
            assert isinstance(payload, dict) and "error" in payload, f"a 400 of POST /api/events must be JSON {{\"error\": ...}}; got {response.get_data(as_text=True)[:200]!r}"
        windows = _windows(client)["windows"]
        assert windows == [], f"refused batches must count nothing, but GET /api/aggregates shows {windows}"


@pytest.mark.req(2)
def test_tumbling_windows(client):
    """Each event in the window [floor(ts / W) * W, + W); count, sum, min, max per type."""
    _post(client, [{"type": "click", "value": 2, "ts": 1000}, {"type": "click", "value": 5, "ts": 1010.5},
                   {"type": "view", "value": 1, "ts": 1019.9}, {"type": "click", "value": 1, "ts": 1020}])
    windows = _windows(client)["windows"]
    starts = [w.get("window_start") for w in windows]
    with about(hint="`start = int(math.floor(ts / size) * size)`: the window that holds ts, never the nearest one."):
        assert starts == [960, 1020], f"events at 1000, 1010.5, 1019.9 and 1020 with WINDOW_SECONDS=60 gave windows starting at {starts}; expected [960, 1020]"
        first = windows[0]
        assert first.get("window_end") == 1020, f"window 960 has window_end {first.get('window_end')!r}; expected 1020"
        assert _stats(first, "click") == {"count": 2, "sum": 7, "min": 2, "max": 5}, f"clicks of window 960: {_stats(first, 'click')}; expected count 2, sum 7, min 2, max 5"
        assert _stats(first, "view") == {"count": 1, "sum": 1, "min": 1, "max": 1}, f"views of window 960: {_stats(first, 'view')}; expected count 1, sum 1 (the event at 1019.9 is in 960-1020)"
        assert _stats(windows[1], "click") == {"count": 1, "sum": 1, "min": 1, "max": 1}, f"window 1020: {_stats(windows[1], 'click')}; expected one click of 1 (1020 starts a new window)"


@pytest.mark.req(2)
@pytest.mark.app_config(**dict(BASE, WINDOW_SECONDS=10))
def test_window_size_from_config(client):
    """WINDOW_SECONDS sets the size."""
    _post(client, [{"type": "click", "ts": 1001}, {"type": "click", "ts": 1009}, {"type": "click", "ts": 1011}])
    body = _windows(client)
    got = [(w.get("window_start"), w.get("window_end"), (_stats(w, "click") or {}).get("count")) for w in body["windows"]]
    assert got == [(1000, 1010, 2), (1010, 1020, 1)], f"with WINDOW_SECONDS=10, events at 1001, 1009, 1011 gave (start, end, count) {got}; expected [(1000, 1010, 2), (1010, 1020, 1)]"
    assert body.get("window_seconds") == 10, f'"window_seconds" is {body.get("window_seconds")!r}; expected 10'


@pytest.mark.req(3)
def test_late_events_are_refused(client):
    """A window closes ALLOWED_LATENESS seconds after its end, by CLOCK; later events for it count as late."""
    _post(client, [{"type": "click", "ts": 1000}])
    CLOCK.now = 1024.9
    body = _post(client, [{"type": "click", "ts": 1001}])
    assert body == {"accepted": 1, "late": 0}, f"at CLOCK() = 1024.9 window 960-1020 is still open (ALLOWED_LATENESS=5); an event for it answered {body}; expected accepted 1"
    CLOCK.now = 1025
    with about(hint="Closed when `CLOCK() >= window_end + ALLOWED_LATENESS`; read the clock from app.config at each request."):
        body = _post(client, [{"type": "click", "ts": 1002}, {"type": "click", "ts": 1030}])
        assert body == {"accepted": 1, "late": 1}, (
            f"at CLOCK() = 1025 window 960-1020 is closed; a batch with one event for it and one for 1020-1080 answered {body}; expected {{\"accepted\": 1, \"late\": 1}}"
        )
        windows = _windows(client)["windows"]
        assert (_stats(windows[0], "click") or {}).get("count") == 2, f"the late event must not count: window 960 shows {_stats(windows[0], 'click')}; expected count 2"
        closed = [(w.get("window_start"), w.get("closed")) for w in windows]
        assert closed == [(960, True), (1020, False)], f"(window_start, closed) at CLOCK() = 1025: {closed}; expected [(960, True), (1020, False)]"


@pytest.mark.req(4)
def test_aggregates_shape_and_type_filter(client):
    """GET /api/aggregates: windows oldest first, aggregates sorted by type; ?type= keeps one type."""
    _post(client, [{"type": "view", "value": 3, "ts": 1070}, {"type": "click", "value": 2, "ts": 1000}, {"type": "view", "value": 1, "ts": 1001}])
    body = _windows(client)
    expected = {"window_seconds": 60, "windows": [
        {"window_start": 960, "window_end": 1020, "closed": False, "aggregates": [
            {"type": "click", "count": 1, "sum": 2, "min": 2, "max": 2}, {"type": "view", "count": 1, "sum": 1, "min": 1, "max": 1}]},
        {"window_start": 1020, "window_end": 1080, "closed": False, "aggregates": [{"type": "view", "count": 1, "sum": 3, "min": 3, "max": 3}]}]}
    assert body == expected, f"GET /api/aggregates answered {body}; expected {expected}"
    clicks = _windows(client, "?type=click")
    assert clicks["windows"] == [dict(expected["windows"][0], aggregates=[expected["windows"][0]["aggregates"][0]])], (
        f"GET /api/aggregates?type=click answered {clicks['windows']}; expected only window 960 with only its clicks (windows without clicks left out)"
    )


@pytest.mark.req(5)
def test_stream_sends_closed_windows(client):
    """text/event-stream, no-cache, a retry line first, then each closed window as id/event/data."""
    _post(client, [{"type": "click", "value": 2, "ts": 1000}, {"type": "view", "ts": 1090}])
    CLOCK.now = 1100  # 960-1020 closed, 1080-1140 open
    stream = Stream(client)
    try:
        response = stream.response
        with about(hint="`Response(stream_with_context(generate()), mimetype=\"text/event-stream\", headers={\"Cache-Control\": \"no-cache\"})`."):
            kind = response.headers.get("Content-Type", "")
            assert kind.startswith("text/event-stream"), f"GET {STREAM} answered Content-Type {kind!r}; expected text/event-stream"
            assert response.headers.get("Cache-Control") == "no-cache", f"GET {STREAM} answered Cache-Control {response.headers.get('Cache-Control')!r}; expected no-cache"
            first = stream.block()
            assert first == ["retry: 3000"], f"the stream's first block was {first!r}; expected the line \"retry: 3000\" then a blank line"
        event, data = _window_event(stream, "connecting (window 960-1020 was closed)")
        with about(hint="Each event: `id: <window_start>`, `event: window`, `data: <the window's JSON>`, then a blank line."):
            assert event.get("id") == "960" and event.get("event") == "window", f"the first event had id {event.get('id')!r} and event {event.get('event')!r}; expected id 960 and event window"
            expected = {"window_start": 960, "window_end": 1020, "closed": True, "aggregates": [{"type": "click", "count": 1, "sum": 2, "min": 2, "max": 2}]}
            assert data == expected, f"the data of the event for window 960 was {data}; expected {expected}"
        nothing = stream.event(0.5)
        assert nothing is None, f"window 1080-1140 is still open, yet the stream sent {nothing}: only closed windows are sent"
    finally:
        stream.close()


@pytest.mark.req(5)
def test_stream_sends_windows_as_they_close(client):
    """A window that closes while the client listens is sent without reconnecting."""
    stream = Stream(client)
    try:
        stream.block()
        _post(client, [{"type": "click", "value": 4, "ts": 1010}])
        CLOCK.now = 1030
        event, data = _window_event(stream, "window 960-1020 closed (CLOCK() moved to 1030) while the client listened")
        assert event.get("id") == "960" and data.get("aggregates") == [{"type": "click", "count": 1, "sum": 4, "min": 4, "max": 4}], f"got the event {event}; expected id 960 with one click of 4"
        _post(client, [{"type": "click", "value": 1, "ts": 1050}])
        CLOCK.now = 1090
        event, data = _window_event(stream, "window 1020-1080 closed (CLOCK() moved to 1090)")
        assert event.get("id") == "1020", f"the next event had id {event.get('id')!r}; expected 1020: each window is sent once, oldest first"
    finally:
        stream.close()


@pytest.mark.req(6)
def test_last_event_id_resumes(client):
    """Last-Event-ID: N sends only the windows starting after N."""
    _post(client, [{"type": "click", "ts": 970}, {"type": "click", "ts": 1030}, {"type": "click", "ts": 1090}])
    CLOCK.now = 1200
    stream = Stream(client, last_event_id="1020")
    try:
        stream.block()
        with about(hint="Read `request.headers.get(\"Last-Event-ID\")` in the view (before the generator starts) and skip windows up to it."):
            event, _ = _window_event(stream, "connecting with Last-Event-ID: 1020 (window 1080 was closed)")
            assert event.get("id") == "1080", f"with Last-Event-ID: 1020 the first event had id {event.get('id')!r}; expected 1080: the client already has 960 and 1020"
    finally:
        stream.close()
    stream = None
    try:
        with about(hint="A Last-Event-ID that is not a whole number is ignored: test it (e.g. `value.isdigit()`) before `int(value)`, so the stream starts from the first closed window instead of failing."):
            try:
                stream = Stream(client, last_event_id="not-a-number")
                stream.block()
                event, _ = _window_event(stream, "connecting with Last-Event-ID: not-a-number")
            except ValueError as e:
                raise AssertionError(
                    f"GET /api/aggregates/stream with the header Last-Event-ID: not-a-number raised ValueError ({e}); "
                    "expected the header to be ignored (a value that is not a whole number sends every closed window)"
                ) from None
            assert event.get("id") == "960", f"with a Last-Event-ID that is not a number the first event had id {event.get('id')!r}; expected 960 (start from the beginning)"
    finally:
        if stream is not None:
            stream.close()


@pytest.mark.req(7)
@pytest.mark.hint(HEARTBEAT_HINT)
def test_heartbeat_comment_when_idle(client):
    """With nothing to send, a comment line every SSE_HEARTBEAT_SECONDS."""
    stream = Stream(client)
    try:
        stream.block()
        lines = []
        with about(hint=HEARTBEAT_HINT):
            for _ in range(2):
                block = stream.block(3.0)
                assert block is not None, "nothing came for 3 s on an idle stream (SSE_HEARTBEAT_SECONDS=0.1): send a comment block such as \": heartbeat\" and a blank line"
                lines.extend(block)
            comments = [line for line in lines if line.startswith(":")]
            assert comments and all(re.match(r"^:", line) for line in lines), f"an idle stream sent {lines}; expected comment lines (starting with \":\"), which clients ignore"
    finally:
        stream.close()
