"""Logging configured with logging.config.dictConfig on the root logger (before the app exists),
the formatter and filter referenced by dotted path, and the request id kept in request.environ."""

import json
import logging
import logging.config
import time
import uuid
from datetime import datetime, timezone

from flask import Flask, has_request_context, jsonify, request
import re

SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
BUILTIN = frozenset(logging.LogRecord("x", 0, "x", 0, "x", None, None).__dict__) | {"message", "request_id"}


class JSONLineFormatter(logging.Formatter):
    def format(self, record):
        payload = {
            "timestamp": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        payload.update({k: v for k, v in record.__dict__.items() if k not in BUILTIN})
        return json.dumps(payload, default=repr)


class AddRequestId(logging.Filter):
    def filter(self, record):
        record.request_id = request.environ.get("app.request_id") if has_request_context() else None
        return True


def logging_config(level):
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": AddRequestId}},
        "formatters": {"json": {"()": JSONLineFormatter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                "formatter": "json", "filters": ["request_id"]}},
        "root": {"level": level, "handlers": ["stderr"]},
    }


def create_app(test_config=None):
    settings = dict(test_config or {})
    # dictConfig replaces the root handlers each time: no duplicates on a second call.
    logging.config.dictConfig(logging_config(settings.get("LOG_LEVEL", "INFO")))
    app = Flask(__name__)
    app.config.update(settings)
    app.logger.handlers.clear()  # the root handler does the writing
    app.logger.setLevel(logging.NOTSET)
    orders = {7: {"id": 7, "item": "keyboard", "quantity": 1}}

    @app.before_request
    def start():
        sent = request.headers.get("X-Request-ID", "")
        request.environ["app.request_id"] = sent if SAFE_ID.fullmatch(sent) else str(uuid.uuid4())
        request.environ["app.t0"] = time.monotonic()

    @app.after_request
    def finish(response):
        response.headers["X-Request-ID"] = request.environ["app.request_id"]
        elapsed = (time.monotonic() - request.environ["app.t0"]) * 1000
        app.logger.info("request completed", extra={"method": request.method, "path": request.path,
                                                    "status": response.status_code, "duration_ms": elapsed})
        return response

    @app.get("/api/orders/<int:order_id>")
    def get_order(order_id):
        app.logger.info("order fetched", extra={"order_id": order_id})
        if order_id not in orders:
            return jsonify(error="order not found"), 404
        return jsonify(orders[order_id])

    return app
