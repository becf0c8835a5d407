import hashlib
import hmac
import json
import socket
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from urllib.parse import urlsplit

from flask import Flask, current_app, jsonify, request


def signature(secret, timestamp, body):
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is an answer, not something to follow


_opener = urllib.request.build_opener(_NoRedirect)


def post_once(url, secret, event_id, body, timeout):
    """(status, error) of one signed POST."""
    ts = int(time.time())
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "X-Timestamp": str(ts),
        "X-Signature": signature(secret, ts, body), "Idempotency-Key": event_id})
    try:
        with _opener.open(req, timeout=timeout) as resp:
            return resp.status, None
    except urllib.error.HTTPError as e:
        e.close()
        return e.code, None
    except (urllib.error.URLError, socket.timeout, OSError) as e:
        return None, str(getattr(e, "reason", e)) or type(e).__name__


def deliver(hook, event, log):
    cfg = current_app.config
    body = json.dumps(event).encode()
    attempts = 0
    while attempts < cfg["WEBHOOK_MAX_ATTEMPTS"]:
        attempts += 1
        status, error = post_once(hook["url"], hook["secret"], event["id"], body, cfg["WEBHOOK_TIMEOUT"])
        ok = status is not None and 200 <= status <= 299
        log.append(dict(event_id=event["id"], attempt=attempts, status_code=status, error=error, delivered=ok))
        if ok:
            return dict(webhook_id=hook["id"], status="delivered", attempts=attempts)
        retryable = status is None or status == 429 or status >= 500
        if not retryable or attempts == cfg["WEBHOOK_MAX_ATTEMPTS"]:
            break
        cfg["WEBHOOK_SLEEP"](cfg["WEBHOOK_BACKOFF_BASE"] * 2 ** (attempts - 1))
    return dict(webhook_id=hook["id"], status="failed", attempts=attempts)


def create_app(config=None):
    app = Flask(__name__)
    app.config.from_mapping(WEBHOOK_MAX_ATTEMPTS=5, WEBHOOK_BACKOFF_BASE=0.5, WEBHOOK_TIMEOUT=5.0, WEBHOOK_SLEEP=time.sleep)
    app.config.from_mapping(config or {})
    hooks, logs = {}, {}

    @app.route("/api/webhooks", methods=["POST"])
    def create_hook():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return jsonify(error="JSON object expected"), 400
        url, secret = data.get("url"), data.get("secret")
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in {"http", "https"} or not parts.hostname:
            return jsonify(error="invalid url"), 400
        if not isinstance(secret, str) or len(secret) < 16:
            return jsonify(error="secret too short"), 400
        hook_id = len(hooks) + 1
        hooks[hook_id] = {"id": hook_id, "url": url, "secret": secret}
        logs[hook_id] = []
        return jsonify(id=hook_id, url=url), 201

    @app.route("/api/webhooks")
    def all_hooks():
        return jsonify(webhooks=[{"id": h["id"], "url": h["url"]} for h in hooks.values()])

    @app.route("/api/webhooks/<int:hook_id>/deliveries")
    def hook_log(hook_id):
        if hook_id not in logs:
            return jsonify(error="unknown webhook"), 404
        return jsonify(deliveries=logs[hook_id])

    @app.route("/api/events", methods=["POST"])
    def events():
        data = request.get_json(silent=True)
        if not isinstance(data, dict) or not isinstance(data.get("type"), str) or not data["type"].strip():
            return jsonify(error="type required"), 400
        payload = data.get("data", {})
        if not isinstance(payload, dict):
            return jsonify(error="data must be an object"), 400
        event = {"id": str(uuid.uuid4()), "type": data["type"], "occurred_at": datetime.now(timezone.utc).isoformat(), "data": payload}
        return jsonify(event_id=event["id"], deliveries=[deliver(h, event, logs[h["id"]]) for h in hooks.values()]), 202

    return app
