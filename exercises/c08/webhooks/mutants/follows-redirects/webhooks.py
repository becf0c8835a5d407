"""Webhook delivery: signed POSTs, retried with exponential backoff, every attempt logged."""

import hashlib
import hmac
import json
import time
import uuid
from datetime import datetime, timezone

import requests
from flask import current_app

RETRYABLE = {429} | set(range(500, 600))


def sign(secret, timestamp, body):
    """``sha256=<hex>``: HMAC-SHA256 with the subscription's secret over ``b"<timestamp>." + body``."""
    digest = hmac.new(secret.encode("utf-8"), b"%d." % timestamp + body, hashlib.sha256).hexdigest()
    return "sha256=" + digest


def make_event(event_type, data):
    return {"id": str(uuid.uuid4()), "type": event_type, "occurred_at": datetime.now(timezone.utc).isoformat(), "data": data}


def _attempt(session, webhook, event, body, timeout):
    """One POST; (status code or None, error text or None)."""
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "X-Timestamp": str(timestamp),
        "X-Signature": sign(webhook["secret"], timestamp, body),
        "Idempotency-Key": event["id"],
    }
    try:
        response = session.post(webhook["url"], data=body, headers=headers, timeout=timeout)
    except requests.Timeout:
        return None, "timed out after %gs" % timeout
    except requests.RequestException as e:
        return None, "%s: %s" % (type(e).__name__, e)
    response.close()
    return response.status_code, None


def deliver(webhook, event, log):
    """Delivers ``event`` to ``webhook``, retrying 5xx/429/timeouts/connection errors with
    exponential backoff; appends every attempt to ``log``; the delivery's summary."""
    config = current_app.config
    max_attempts = config["WEBHOOK_MAX_ATTEMPTS"]
    base, timeout, sleep = config["WEBHOOK_BACKOFF_BASE"], config["WEBHOOK_TIMEOUT"], config["WEBHOOK_SLEEP"]
    body = json.dumps(event).encode("utf-8")  # the exact bytes signed and sent, the same on every attempt
    with requests.Session() as session:
        for attempt in range(1, max_attempts + 1):
            status, error = _attempt(session, webhook, event, body, timeout)
            delivered = status is not None and 200 <= status < 300
            log.append({"event_id": event["id"], "attempt": attempt, "status_code": status, "error": error, "delivered": delivered})
            if delivered:
                return {"webhook_id": webhook["id"], "status": "delivered", "attempts": attempt}
            if status is not None and status not in RETRYABLE:
                break  # the receiver refused this event: another try gets the same answer
            if attempt < max_attempts:
                sleep(base * 2 ** (attempt - 1))
    current_app.logger.warning("webhook %s: event %s not delivered after %d attempt(s)", webhook["id"], event["id"], attempt)
    return {"webhook_id": webhook["id"], "status": "failed", "attempts": attempt}
