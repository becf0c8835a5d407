"""Events in, windows out: a blueprint of MethodViews, and the Server-Sent Events stream."""
import json
import math
import threading
import time
from collections import defaultdict

from flask import Blueprint, Response, abort, current_app, request
from flask.views import MethodView

bp = Blueprint("events", __name__, url_prefix="/api")


class WindowStore:
    def __init__(self):
        self.lock = threading.Lock()
        self.data = defaultdict(dict)  # start -> {type: [count, sum, min, max]}


def cfg(key):
    return current_app.config[key]


def store():
    return current_app.extensions["windows"]


def start_of(ts):
    size = cfg("WINDOW_SECONDS")
    return int(math.floor(ts / size)) * size


def closed(start, now):
    return now >= start + cfg("WINDOW_SECONDS") + cfg("ALLOWED_LATENESS")


def is_number(x):
    return type(x) in (int, float) and math.isfinite(x)


def parse(body, now):
    items = body if isinstance(body, list) else [body] if isinstance(body, dict) else None
    if not items or len(items) > 1000:
        abort(400, description="send an event object or a list of 1 to 1000 events")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            abort(400, description=f"event {i} is not an object")
        kind, value, ts = item.get("type"), item.get("value", 1), item.get("ts", now)
        if not (isinstance(kind, str) and kind.strip() and len(kind) <= 64):
            abort(400, description=f"event {i}: bad type")
        if not (is_number(value) and is_number(ts)):
            abort(400, description=f"event {i}: value and ts must be numbers")
        out.append((kind.strip(), value, ts))
    return out


def window_json(start, types, now, only=None):
    return {
        "window_start": start,
        "window_end": start + cfg("WINDOW_SECONDS"),
        "closed": closed(start, now),
        "aggregates": [{"type": t, "count": s[0], "sum": s[1], "min": s[2], "max": s[3]}
                       for t, s in sorted(types.items()) if only is None or t == only],
    }


def snapshot(now, only=None, after=None, closed_only=False):
    with store().lock:
        items = sorted((start, dict(types)) for start, types in store().data.items())
    windows = []
    for start, types in items:
        if (after is not None and start <= after) or (closed_only and not closed(start, now)):
            continue
        window = window_json(start, types, now, only)
        if window["aggregates"]:
            windows.append(window)
    return windows


class Events(MethodView):
    def post(self):
        now = cfg("CLOCK")()
        events = parse(request.get_json(silent=True), now)
        accepted = late = 0
        with store().lock:
            for kind, value, ts in events:
                start = start_of(ts)
                if closed(start, now):
                    late += 1
                    continue
                s = store().data[start].get(kind)
                store().data[start][kind] = [1, value, value, value] if s is None else [s[0] + 1, s[1] + value, min(s[2], value), max(s[3], value)]
                accepted += 1
        return {"accepted": accepted, "late": late}, 202


class Aggregates(MethodView):
    def get(self):
        return {"window_seconds": cfg("WINDOW_SECONDS"), "windows": snapshot(cfg("CLOCK")(), request.args.get("type") or None)}


def message(event=None, event_id=None, data=None, comment=None, retry=None):
    if comment is not None:
        return f": {comment}\n\n"
    if retry is not None:
        return f"retry: {retry}\n\n"
    head = (f"id: {event_id}\n" if event_id is not None else "") + (f"event: {event}\n" if event else "")
    return head + "data: " + json.dumps(data) + "\n\n"


def window_stream(app, after):
    """Runs after the view returned: it pushes the app context itself for every look at the windows."""
    with app.app_context():
        yield message(retry=cfg("SSE_RETRY_MS"))
        last_sent = time.monotonic()
        while True:
            for window in snapshot(cfg("CLOCK")(), after=after, closed_only=True):
                after = window["window_start"]
                yield message("window", after, window)
                last_sent = time.monotonic()
            if time.monotonic() - last_sent >= cfg("SSE_HEARTBEAT_SECONDS"):
                yield message(comment="heartbeat")
                last_sent = time.monotonic()
            time.sleep(cfg("SSE_POLL_SECONDS"))


class Stream(MethodView):
    def get(self):
        try:
            after = int(request.headers.get("Last-Event-ID", ""))
        except ValueError:
            after = None
        body = window_stream(current_app._get_current_object(), after)
        return Response(body, content_type="text/event-stream", headers={"Cache-Control": "no-cache"})


bp.add_url_rule("/events", view_func=Events.as_view("events"))
bp.add_url_rule("/aggregates", view_func=Aggregates.as_view("aggregates"))
bp.add_url_rule("/aggregates/stream", view_func=Stream.as_view("stream"))
