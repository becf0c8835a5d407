import dataclasses
import uuid
from datetime import datetime, timezone
from urllib.parse import urlparse

from flask import Blueprint, current_app, jsonify, request
from flask.views import MethodView

from dispatcher import Subscription, WebhookDispatcher

bp = Blueprint("webhooks", __name__, url_prefix="/api")


def _subs():
    return current_app.extensions["subscriptions"]


def _dispatcher():
    # the config is read at request time (a check may change it after the app is made)
    ext = current_app.extensions.setdefault("dispatcher", WebhookDispatcher(current_app.config))
    ext.config = current_app.config
    return ext


class WebhookList(MethodView):
    def get(self):
        return jsonify(webhooks=[s.public() for s in _subs().values()])

    def post(self):
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return jsonify(error="expected a JSON object"), 400
        try:
            parsed = urlparse(data.get("url"))
        except (TypeError, AttributeError, ValueError):
            parsed = None
        if parsed is None or not isinstance(data.get("url"), str) or parsed.scheme not in ("http", "https") or not parsed.hostname:
            return jsonify(error="url: http(s) URL with a host expected"), 400
        secret = data.get("secret")
        if not (isinstance(secret, str) and len(secret) >= 16):
            return jsonify(error="secret: 16 characters or more"), 400
        sub = Subscription(id=max(_subs(), default=0) + 1, url=data["url"], secret=secret)
        _subs()[sub.id] = sub
        return jsonify(sub.public()), 201


class DeliveryLog(MethodView):
    def get(self, webhook_id):
        sub = _subs().get(webhook_id)
        if sub is None:
            return jsonify(error="webhook not found"), 404
        return jsonify(deliveries=[dataclasses.asdict(a) for a in sub.attempts])


class Events(MethodView):
    def post(self):
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return jsonify(error="expected a JSON object"), 400
        kind, payload = data.get("type"), data.get("data", {})
        if not isinstance(kind, str) or not kind.strip() or not isinstance(payload, dict):
            return jsonify(error="type (string) and data (object) expected"), 400
        event = {"id": str(uuid.uuid4()), "type": kind, "occurred_at": datetime.now(timezone.utc).isoformat(), "data": payload}
        dispatcher = _dispatcher()
        results = [dispatcher.dispatch(sub, event) for sub in list(_subs().values())]
        return jsonify(event_id=event["id"], deliveries=results), 202


bp.add_url_rule("/webhooks", view_func=WebhookList.as_view("webhooks"))
bp.add_url_rule("/webhooks/<int:webhook_id>/deliveries", view_func=DeliveryLog.as_view("deliveries"))
bp.add_url_rule("/events", view_func=Events.as_view("events"))
