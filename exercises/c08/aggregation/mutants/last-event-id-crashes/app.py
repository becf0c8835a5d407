"""Event ingestion, tumbling-window aggregates and a Server-Sent Events stream of closed windows."""
import json
import math
import time

from flask import Flask, Response, abort, current_app, request, stream_with_context
from werkzeug.exceptions import HTTPException

from aggregator import Aggregator

MAX_BATCH = 1000


def validated(body, now):
    events = body if isinstance(body, list) else [body]
    if not events or len(events) > MAX_BATCH:
        abort(400, description=f"send one event or a list of 1 to {MAX_BATCH} events")
    clean = []
    for index, event in enumerate(events):
        where = f"event {index}: " if isinstance(body, list) else ""
        if not isinstance(event, dict):
            abort(400, description=f"{where}an event is a JSON object")
        kind = event.get("type")
        if not isinstance(kind, str) or not kind.strip() or len(kind) > 64:
            abort(400, description=f"{where}type must be a non-blank string of at most 64 characters")
        value, ts = event.get("value", 1), event.get("ts", now)
        for name, number in (("value", value), ("ts", ts)):
            if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
                abort(400, description=f"{where}{name} must be a number")
        clean.append({"type": kind.strip(), "value": value, "ts": ts})
    return clean


def sse(data, event=None, event_id=None):
    """One Server-Sent Event: optional id and event lines, one data line, a blank line."""
    lines = []
    if event_id is not None:
        lines.append(f"id: {event_id}")
    if event is not None:
        lines.append(f"event: {event}")
    lines.append(f"data: {json.dumps(data, separators=(',', ':'))}")
    return "\n".join(lines) + "\n\n"


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        CLOCK=time.time,            # the current Unix time in seconds; the checks give a fake one
        WINDOW_SECONDS=60,
        ALLOWED_LATENESS=5,
        SSE_POLL_SECONDS=1.0,
        SSE_HEARTBEAT_SECONDS=15.0,
        SSE_RETRY_MS=3000,
    )
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["aggregator"] = Aggregator(app.config["WINDOW_SECONDS"], app.config["ALLOWED_LATENESS"])

    def aggregator():
        return current_app.extensions["aggregator"]

    def now():
        return current_app.config["CLOCK"]()

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    @app.post("/api/events")
    def ingest():
        body = request.get_json(silent=True)
        if body is None:
            abort(400, description="send a JSON event or a JSON list of events")
        current = now()
        accepted, late = aggregator().add(validated(body, current), current)
        return {"accepted": accepted, "late": late}, 202

    @app.get("/api/aggregates")
    def aggregates():
        only = request.args.get("type") or None
        return {"window_seconds": aggregator().size, "windows": aggregator().windows(now(), only)}

    @app.get("/api/aggregates/stream")
    def stream():
        last = request.headers.get("Last-Event-ID", "")
        last_start = int(last) if last else None
        config = current_app.config

        @stream_with_context
        def events():
            nonlocal last_start
            yield f"retry: {config['SSE_RETRY_MS']}\n\n"
            quiet_since = time.monotonic()
            while True:
                for window in aggregator().closed_after(last_start, now()):
                    last_start = window["window_start"]
                    yield sse(window, event="window", event_id=last_start)
                    quiet_since = time.monotonic()
                if time.monotonic() - quiet_since >= config["SSE_HEARTBEAT_SECONDS"]:
                    yield ": heartbeat\n\n"  # a comment: keeps proxies from closing an idle connection
                    quiet_since = time.monotonic()
                time.sleep(config["SSE_POLL_SECONDS"])

        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return Response(events(), mimetype="text/event-stream", headers=headers)

    return app


if __name__ == "__main__":
    create_app().run(debug=True, threaded=True)
