import time

from flask import Flask, jsonify

import webhooks  # noqa: F401


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(WEBHOOK_MAX_ATTEMPTS=5, WEBHOOK_BACKOFF_BASE=0.5, WEBHOOK_TIMEOUT=5.0, WEBHOOK_SLEEP=time.sleep)
    if config:
        app.config.update(config)
    # subscriptions: id -> {"id", "url", "secret"}; log: id -> [attempt entries]
    store = app.extensions["webhooks"] = {"subscriptions": {}, "log": {}, "next_id": 1}  # noqa: F841

    # TODO: POST /api/webhooks, GET /api/webhooks, GET /api/webhooks/<id>/deliveries,
    # POST /api/events (deliver to every webhook with webhooks.deliver, then 202).
    @app.post("/api/webhooks")
    def register():
        return jsonify(error="not implemented yet"), 501

    @app.get("/api/webhooks")
    def list_webhooks():
        return jsonify(error="not implemented yet"), 501

    @app.get("/api/webhooks/<int:webhook_id>/deliveries")
    def deliveries(webhook_id):
        return jsonify(error="not implemented yet"), 501

    @app.post("/api/events")
    def publish():
        return jsonify(error="not implemented yet"), 501

    return app
