"""The formatter itself reads the request id from flask.g (no filter); the handler sits on
app.logger, which does not propagate; request hooks live on a blueprint-free helper class."""

import json
import logging
import re
import secrets
import time

from flask import Flask, g, has_app_context, jsonify, request

_ID = re.compile(r"\A[\w.-]{1,64}\Z", re.ASCII)
_RESERVED = set(logging.makeLogRecord({}).__dict__) | {"message"}


class RequestAwareJsonFormatter(logging.Formatter):
    def format(self, record):
        data = {
            "timestamp": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}+00:00",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": g.get("request_id") if has_app_context() else None,
        }
        data.update((k, v) for k, v in record.__dict__.items() if k not in _RESERVED)
        return json.dumps(data, default=str)


RequestAwareJsonFormatter.converter = time.gmtime


class RequestTracing:
    def __init__(self, app):
        app.before_request(self.begin)
        app.after_request(self.end)
        self.logger = app.logger

    def begin(self):
        given = request.headers.get("X-Request-ID")
        g.request_id = given if given and _ID.match(given) else secrets.token_hex(16)
        g.t0 = time.perf_counter()

    def end(self, response):
        response.headers["X-Request-ID"] = g.request_id
        self.logger.info("request completed", extra=dict(
            method=request.method, path=request.path, status=response.status_code,
            duration_ms=int((time.perf_counter() - g.t0) * 1000)))
        return response


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})
    handler = logging.StreamHandler()
    handler.setFormatter(RequestAwareJsonFormatter())
    for old in list(app.logger.handlers):
        app.logger.removeHandler(old)
    app.logger.addHandler(handler)
    app.logger.setLevel(logging.INFO)
    app.logger.propagate = False
    RequestTracing(app)

    @app.route("/api/orders/<int:order_id>")
    def get_order(order_id):
        app.logger.info("order fetched", extra={"order_id": order_id})
        if order_id != 7:
            return jsonify(error="order not found"), 404
        return jsonify(id=7, item="keyboard", quantity=1)

    return app
