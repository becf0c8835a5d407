"""Event ingestion, tumbling-window aggregates and a Server-Sent Events stream of closed windows."""
import time

from flask import Flask, Response, abort, current_app, request, stream_with_context  # noqa: F401
from werkzeug.exceptions import HTTPException


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

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    @app.post("/api/events")
    def ingest():
        # TODO: one event or a list; validate all, then add; answer {"accepted": n, "late": m}, 202.
        abort(501, description="POST /api/events is not written yet")

    @app.get("/api/aggregates")
    def aggregates():
        # TODO: {"window_seconds": ..., "windows": [...]}, ?type= filter.
        abort(501, description="GET /api/aggregates is not written yet")

    @app.get("/api/aggregates/stream")
    def stream():
        # TODO: a text/event-stream response from a generator (stream_with_context): retry line,
        # closed windows as id/event/data blocks, Last-Event-ID, heartbeat comments.
        abort(501, description="GET /api/aggregates/stream is not written yet")

    return app


if __name__ == "__main__":
    create_app().run(debug=True, threaded=True)
