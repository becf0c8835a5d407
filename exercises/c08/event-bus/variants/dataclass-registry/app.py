import re

from flask import Flask, jsonify, request

import messaging

TYPE = re.compile(r"[a-z][a-z_]*(?:\.[a-z][a-z_]*)+")


def _unavailable(error):
    return jsonify(error=f"broker unavailable ({error})"), 503


def create_app(config=None):
    app = Flask(__name__)
    app.config.from_mapping(AMQP_PREFIX="shop.", EVENT_HANDLER=None, HANDLER_MAX_ATTEMPTS=3)
    app.config.from_prefixed_env()
    app.config.from_mapping(config or {})

    @app.route("/api/events", methods=["POST"])
    def post_event():
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return jsonify(error="expected a JSON object"), 400
        if not isinstance(body.get("type"), str) or not TYPE.fullmatch(body["type"]):
            return jsonify(error="invalid type"), 400
        if not isinstance(body.get("data", {}), dict):
            return jsonify(error="invalid data"), 400
        try:
            envelope = messaging.emit(body["type"], body.get("data", {}))
        except ConnectionError as e:
            return _unavailable(e)
        return jsonify(envelope.to_dict()), 202

    @app.route("/api/subscribers/<name>/consume", methods=["POST"])
    def consume(name):
        if name not in messaging.REGISTRY:
            return jsonify(error="no such subscriber"), 404
        try:
            return jsonify(messaging.drain(name))
        except ConnectionError as e:
            return _unavailable(e)

    @app.route("/api/subscribers/<name>/events")
    def events(name):
        if name not in messaging.REGISTRY:
            return jsonify(error="no such subscriber"), 404
        return jsonify(subscriber=name, events=messaging.handled(name))

    return app
