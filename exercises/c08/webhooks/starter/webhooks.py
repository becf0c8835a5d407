"""Webhook delivery. TODO (see the brief):

- sign(secret, timestamp, body) -> "sha256=<hex HMAC-SHA256 over b'<timestamp>.' + body>"
- deliver(webhook, event, log): POST the event with X-Timestamp, X-Signature, Idempotency-Key;
  retry 5xx/429/timeouts/connection errors with exponential backoff (WEBHOOK_SLEEP), log every
  attempt; return {"webhook_id", "status": "delivered" | "failed", "attempts"}
"""

import hashlib  # noqa: F401
import hmac  # noqa: F401
import json  # noqa: F401
import time  # noqa: F401

import requests  # noqa: F401
from flask import current_app  # noqa: F401


def sign(secret, timestamp, body):
    raise NotImplementedError


def deliver(webhook, event, log):
    raise NotImplementedError
