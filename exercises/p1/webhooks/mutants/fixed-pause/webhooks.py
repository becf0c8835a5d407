"""/api/webhooks: each user registers URLs that are told about their tasks.

A delivery is one event for one webhook: an HTTP POST of a JSON body signed with HMAC-SHA256
(the webhook's secret, over the exact bytes sent), retried on 5xx answers and network errors
(at most WEBHOOK_MAX_ATTEMPTS attempts), with an id (X-Webhook-Id) that stays the same on every
attempt and redelivery so the receiver can process it once.

Deliveries are sent synchronously after the change is committed; a production service would
hand them to a task queue (Part 2, c06).
"""
import hashlib
import hmac
import json
import time
import uuid
from datetime import datetime, timezone
from urllib.parse import urlsplit

import requests
from flask import current_app, g
from flask_restx import Namespace, Resource, fields

from auth import login_required
from models import Webhook, WebhookDelivery, db

ns = Namespace("webhooks", description="Webhooks: task events sent to your URLs", path="/api/webhooks",
               decorators=[login_required])

EVENTS = ("task.created", "task.updated", "task.deleted")
MAX_ATTEMPTS = 3

webhook_input = ns.model("WebhookInput", {
    "url": fields.String(required=True, max_length=2000, description="http:// or https:// URL that receives the events",
                         example="https://example.com/hooks/tasks"),
    "secret": fields.String(required=True, min_length=16, max_length=128,
                            description="Key of the HMAC-SHA256 signature (X-Webhook-Signature); never sent back"),
})
webhook_output = ns.model("Webhook", {
    "id": fields.Integer(readonly=True),
    "url": fields.String,
})
delivery_output = ns.model("WebhookDelivery", {
    "id": fields.String(description="The idempotency key, also sent as X-Webhook-Id"),
    "event": fields.String(enum=list(EVENTS)),
    "attempts": fields.Integer(description="HTTP attempts so far"),
    "status_code": fields.Integer(description="Status of the last answer; null when none came"),
    "delivered": fields.Boolean(description="A 2xx answer came"),
})


def signature(secret, body):
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def attempt(webhook, delivery):
    """Sends the delivery until a 2xx, a 4xx, or MAX_ATTEMPTS attempts (this call)."""
    body = delivery.body.encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "TaskManagementAPI-Webhooks/1.0",
        "X-Webhook-Event": delivery.event,
        "X-Webhook-Id": delivery.id,
        "X-Webhook-Signature": signature(webhook.secret, body),
    }
    delay = float(current_app.config.get("WEBHOOK_RETRY_DELAY", 0.5))
    timeout = float(current_app.config.get("WEBHOOK_TIMEOUT", 5))
    for number in range(1, MAX_ATTEMPTS + 1):
        delivery.attempts += 1
        try:
            answer = requests.post(webhook.url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
        except requests.RequestException as error:
            current_app.logger.warning("webhook %s delivery %s: %s", webhook.id, delivery.id, error)
            delivery.status_code = None
        else:
            delivery.status_code = answer.status_code
            if 200 <= answer.status_code < 300:
                delivery.delivered = True
                return
            if answer.status_code < 500:
                return  # the receiver refused it: sending it again would not help
        if number < MAX_ATTEMPTS:
            time.sleep(delay)


def notify(owner_id, event, task):
    """Sends `event` about `task` (its API representation) to every webhook of `owner_id`."""
    hooks = db.session.execute(db.select(Webhook).filter_by(owner_id=owner_id).order_by(Webhook.id)).scalars().all()
    for webhook in hooks:
        delivery_id = str(uuid.uuid4())
        body = json.dumps({"id": delivery_id, "event": event, "task": task}, separators=(",", ":"))
        delivery = WebhookDelivery(id=delivery_id, webhook_id=webhook.id, event=event, body=body,
                                   attempts=0, delivered=False, created_at=datetime.now(timezone.utc))
        db.session.add(delivery)
        db.session.commit()  # recorded before sending: a crash mid-way leaves a trace
        attempt(webhook, delivery)
        db.session.commit()


def valid_url(url):
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def get_webhook_or_404(webhook_id):
    webhook = db.session.get(Webhook, webhook_id)
    if webhook is None or webhook.owner_id != g.user.id:
        ns.abort(404, f"Webhook {webhook_id} not found")
    return webhook


@ns.route("")
@ns.response(401, "No valid access token")
@ns.doc(security="Bearer")
class WebhookList(Resource):
    @ns.marshal_list_with(webhook_output)
    def get(self):
        """Your webhooks, oldest first"""
        return db.session.execute(
            db.select(Webhook).filter_by(owner_id=g.user.id).order_by(Webhook.id)).scalars().all()

    @ns.expect(webhook_input, validate=True)
    @ns.response(400, "Invalid URL or secret")
    @ns.marshal_with(webhook_output, code=201, description="Webhook registered")
    def post(self):
        """Register a URL for the events of your tasks"""
        url = ns.payload["url"].strip()
        if not valid_url(url):
            ns.abort(400, "url: an http:// or https:// URL")
        webhook = Webhook(owner_id=g.user.id, url=url, secret=ns.payload["secret"])
        db.session.add(webhook)
        db.session.commit()
        return webhook, 201


@ns.route("/<int:webhook_id>")
@ns.response(401, "No valid access token")
@ns.response(404, "Webhook not found")
@ns.doc(security="Bearer")
class WebhookItem(Resource):
    @ns.response(204, "Webhook deleted")
    def delete(self, webhook_id):
        """Stop sending events to this URL"""
        webhook = get_webhook_or_404(webhook_id)
        db.session.execute(db.delete(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id))
        db.session.delete(webhook)
        db.session.commit()
        return "", 204


@ns.route("/<int:webhook_id>/deliveries")
@ns.response(401, "No valid access token")
@ns.response(404, "Webhook not found")
@ns.doc(security="Bearer")
class DeliveryList(Resource):
    @ns.marshal_list_with(delivery_output)
    def get(self, webhook_id):
        """The webhook's deliveries, oldest first"""
        webhook = get_webhook_or_404(webhook_id)
        query = (db.select(WebhookDelivery).filter_by(webhook_id=webhook.id)
                 .order_by(WebhookDelivery.created_at, WebhookDelivery.id))
        return db.session.execute(query).scalars().all()


@ns.route("/<int:webhook_id>/deliveries/<string:delivery_id>/redeliver")
@ns.response(401, "No valid access token")
@ns.response(404, "Webhook or delivery not found")
@ns.doc(security="Bearer")
class Redeliver(Resource):
    @ns.marshal_with(delivery_output)
    def post(self, webhook_id, delivery_id):
        """Send a delivery again: the same id and the same body"""
        webhook = get_webhook_or_404(webhook_id)
        delivery = db.session.get(WebhookDelivery, delivery_id)
        if delivery is None or delivery.webhook_id != webhook.id:
            ns.abort(404, f"Delivery {delivery_id} not found")
        attempt(webhook, delivery)
        db.session.commit()
        return delivery
