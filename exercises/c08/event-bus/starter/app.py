from flask import Flask, jsonify

import events  # noqa: F401


def create_app(config=None):
    app = Flask(__name__)
    # EVENT_HANDLER: None or hook(subscriber, envelope), called before recording an event; it may
    # raise (the checks set it): see requirement 9. HANDLER_MAX_ATTEMPTS: failures before dead-lettering.
    app.config.update(AMQP_PREFIX="shop.", AMQP_URL=None, EVENT_HANDLER=None, HANDLER_MAX_ATTEMPTS=3)
    app.config.from_prefixed_env()  # FLASK_AMQP_URL=amqp://... sets AMQP_URL
    if config:
        app.config.update(config)

    # TODO: POST /api/events (202, the envelope), POST /api/subscribers/<name>/consume,
    # GET /api/subscribers/<name>/events, 503 when the broker raises ConnectionError.
    @app.post("/api/events")
    def publish_event():
        return jsonify(error="not implemented yet"), 501

    @app.post("/api/subscribers/<name>/consume")
    def consume(name):
        return jsonify(error="not implemented yet"), 501

    @app.get("/api/subscribers/<name>/events")
    def handled(name):
        return jsonify(error="not implemented yet"), 501

    return app
