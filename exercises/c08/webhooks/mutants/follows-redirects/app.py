import time
from urllib.parse import urlsplit

from flask import Flask, jsonify, request

import webhooks


def _valid_url(value):
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(WEBHOOK_MAX_ATTEMPTS=5, WEBHOOK_BACKOFF_BASE=0.5, WEBHOOK_TIMEOUT=5.0, WEBHOOK_SLEEP=time.sleep)
    if config:
        app.config.update(config)
    store = app.extensions["webhooks"] = {"subscriptions": {}, "log": {}, "next_id": 1}

    def public(webhook):
        return {"id": webhook["id"], "url": webhook["url"]}

    @app.post("/api/webhooks")
    def register():
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            return jsonify(error="send a JSON object"), 400
        if not _valid_url(payload.get("url")):
            return jsonify(error="url must be an http(s) URL"), 400
        secret = payload.get("secret")
        if not isinstance(secret, str) or len(secret) < 16:
            return jsonify(error="secret must be a string of at least 16 characters"), 400
        webhook = {"id": store["next_id"], "url": payload["url"], "secret": secret}
        store["next_id"] += 1
        store["subscriptions"][webhook["id"]] = webhook
        store["log"][webhook["id"]] = []
        return jsonify(public(webhook)), 201

    @app.get("/api/webhooks")
    def list_webhooks():
        return jsonify(webhooks=[public(w) for w in store["subscriptions"].values()])

    @app.get("/api/webhooks/<int:webhook_id>/deliveries")
    def deliveries(webhook_id):
        if webhook_id not in store["subscriptions"]:
            return jsonify(error="no such webhook"), 404
        return jsonify(deliveries=store["log"][webhook_id])

    @app.post("/api/events")
    def publish():
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            return jsonify(error="send a JSON object"), 400
        event_type, data = payload.get("type"), payload.get("data", {})
        if not isinstance(event_type, str) or not event_type.strip():
            return jsonify(error="type must be a non-empty string"), 400
        if not isinstance(data, dict):
            return jsonify(error="data must be a JSON object"), 400
        event = webhooks.make_event(event_type, data)
        results = [webhooks.deliver(w, event, store["log"][w["id"]]) for w in list(store["subscriptions"].values())]
        return jsonify(event_id=event["id"], deliveries=results), 202

    return app
