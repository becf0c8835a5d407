"""An orders API with structured JSON logs: one JSON object per line, each carrying the id of
the request it belongs to, and an access line per request. The request id comes from the
X-Request-ID header when it is well-formed (so a proxy's id follows the request), or is new."""

import json
import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone

from flask import Flask, current_app, g, has_request_context, jsonify, request

REQUEST_ID_HEADER = "X-Request-ID"
# Only short, plain ids are trusted: anything else could forge or break log lines.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# The attributes every LogRecord has; anything else on a record came from `extra=`.
STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object: timestamp, level, logger, message, request_id,
    every `extra=` field, and the exception when there is one."""

    def format(self, record):
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in vars(record).items():
            if key not in STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class RequestIdFilter(logging.Filter):
    """Adds the current request's id (None outside a request) to every record."""

    def filter(self, record):
        record.request_id = g.get("request_id") if has_request_context() else None
        return True


def configure_logging(app):
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    # no filter: the id is only passed to the access line below
    # Replace, never add: a second create_app() (tests, reloads) must not duplicate lines.
    app.logger.handlers.clear()
    app.logger.addHandler(handler)
    app.logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))


def register_request_id(app):
    @app.before_request
    def assign_request_id():
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def log_and_echo(response):
        response.headers[REQUEST_ID_HEADER] = g.request_id
        app.logger.info(
            "request completed",
            extra={
                "request_id": g.request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - g.started) * 1000, 3),
            },
        )
        return response


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.from_mapping(test_config)
    configure_logging(app)
    register_request_id(app)
    orders = {7: {"id": 7, "item": "keyboard", "quantity": 1}}

    @app.get("/api/orders/<int:order_id>")
    def get_order(order_id):
        current_app.logger.info("order fetched", extra={"order_id": order_id})
        order = orders.get(order_id)
        if order is None:
            return jsonify(error="order not found"), 404
        return jsonify(order)

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
