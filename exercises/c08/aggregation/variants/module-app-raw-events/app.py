"""Event aggregation, a module-level app: raw events are kept, windows are computed when asked."""
import itertools
import json
import math
import threading
import time

from flask import Flask, Response, abort, current_app, request, stream_with_context

app = Flask(__name__)
app.config.from_mapping(CLOCK=time.time, WINDOW_SECONDS=60, ALLOWED_LATENESS=5,
                        SSE_POLL_SECONDS=1.0, SSE_HEARTBEAT_SECONDS=15.0, SSE_RETRY_MS=3000)

EVENTS = []  # (window start, type, value) of every accepted event
LOCK = threading.Lock()


def now():
    return current_app.config["CLOCK"]()


def size():
    return current_app.config["WINDOW_SECONDS"]


def is_closed(start, at):
    return at >= start + size() + current_app.config["ALLOWED_LATENESS"]


def number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def compute(at, only=None, after=None, closed_only=False):
    with LOCK:
        rows = sorted(e for e in EVENTS if only in (None, e[1]))
    windows = []
    for start, in_window in itertools.groupby(rows, key=lambda e: e[0]):
        if (after is not None and start <= after) or (closed_only and not is_closed(start, at)):
            continue
        aggregates = []
        for kind, group in itertools.groupby(in_window, key=lambda e: e[1]):
            values = [e[2] for e in group]
            aggregates.append({"type": kind, "count": len(values), "sum": sum(values), "min": min(values), "max": max(values)})
        windows.append({"window_start": start, "window_end": start + size(), "closed": is_closed(start, at), "aggregates": aggregates})
    return windows


@app.errorhandler(400)
@app.errorhandler(404)
@app.errorhandler(405)
def error(e):
    return {"error": e.description}, e.code


@app.route("/api/events", methods=["POST"])
def post_events():
    body, at = request.get_json(silent=True), now()
    batch = body if isinstance(body, list) else [body]
    if body is None or not 1 <= len(batch) <= 1000:
        abort(400, "send an event or a list of 1 to 1000 events")
    rows = []
    for event in batch:
        if not isinstance(event, dict):
            abort(400, "every event must be an object")
        kind, value, ts = event.get("type"), event.get("value", 1), event.get("ts", at)
        if not isinstance(kind, str) or not kind.strip() or len(kind) > 64 or not number(value) or not number(ts):
            abort(400, "an event needs a type (1-64 characters) and numeric value and ts")
        rows.append((int(math.floor(ts / size()) * size()), kind.strip(), value))
    fresh = [row for row in rows if not is_closed(row[0], at)]
    with LOCK:
        EVENTS.extend(fresh)
    return {"accepted": len(fresh), "late": len(rows) - len(fresh)}, 202


@app.route("/api/aggregates")
def get_aggregates():
    return {"window_seconds": size(), "windows": compute(now(), request.args.get("type") or None)}


@app.route("/api/aggregates/stream")
def stream():
    raw = request.headers.get("Last-Event-ID", "")
    after = int(raw) if raw.isdigit() else None

    @stream_with_context
    def generate():
        last = after
        config = current_app.config
        yield "retry: %d\n\n" % config["SSE_RETRY_MS"]
        idle_since = time.monotonic()
        while True:
            for window in compute(now(), after=last, closed_only=True):
                last = window["window_start"]
                yield "id: %d\nevent: window\ndata: %s\n\n" % (last, json.dumps(window))
                idle_since = time.monotonic()
            if time.monotonic() - idle_since >= config["SSE_HEARTBEAT_SECONDS"]:
                yield ": heartbeat\n\n"
                idle_since = time.monotonic()
            time.sleep(config["SSE_POLL_SECONDS"])

    return Response(generate(), mimetype="text/event-stream", headers={"Cache-Control": "no-cache"})
