from flask import Flask, jsonify, request

import events


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(AMQP_PREFIX="shop.", AMQP_URL=None, EVENT_HANDLER=None, HANDLER_MAX_ATTEMPTS=3)
    app.config.from_prefixed_env()
    if config:
        app.config.update(config)

    @app.errorhandler(ConnectionError)
    def broker_down(error):
        app.logger.warning("message broker unavailable: %s", error)
        return jsonify(error="the message broker is unavailable, try again later"), 503

    @app.post("/api/events")
    def publish_event():
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            return jsonify(error="send a JSON object"), 400
        event_type, data = payload.get("type"), payload.get("data", {})
        if not isinstance(event_type, str) or not events.EVENT_TYPE.match(event_type):
            return jsonify(error="type must be dotted lower-case words, like order.created"), 400
        if not isinstance(data, dict):
            return jsonify(error="data must be a JSON object"), 400
        return jsonify(events.publish(event_type, data)), 202

    def unknown(name):
        return jsonify(error=f"no subscriber named {name!r}"), 404

    @app.post("/api/subscribers/<name>/consume")
    def consume(name):
        if name not in events.SUBSCRIBERS:
            return unknown(name)
        return jsonify(events.consume(name))

    @app.get("/api/subscribers/<name>/events")
    def handled(name):
        if name not in events.SUBSCRIBERS:
            return unknown(name)
        return jsonify(subscriber=name, events=list(events.handled_events(name).values()))

    return app
