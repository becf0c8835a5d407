import dataclasses
import hashlib
import hmac
import json
import time
from typing import List, Optional

import requests


@dataclasses.dataclass
class Subscription:
    id: int
    url: str
    secret: str
    attempts: List["Attempt"] = dataclasses.field(default_factory=list)

    def public(self):
        return {"id": self.id, "url": self.url}


@dataclasses.dataclass
class Attempt:
    event_id: str
    attempt: int
    status_code: Optional[int]
    error: Optional[str]
    delivered: bool


class WebhookDispatcher:
    def __init__(self, config):
        self.config = config
        self.session = requests.Session()

    @staticmethod
    def signature(secret: str, timestamp: int, body: bytes) -> str:
        return "sha256=" + hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()

    @staticmethod
    def should_retry(status: Optional[int]) -> bool:
        return status is None or status == 429 or 500 <= status <= 599

    def _send(self, sub: Subscription, event_id: str, body: bytes):
        now = int(time.time())
        try:
            r = self.session.post(sub.url, data=body, timeout=self.config["WEBHOOK_TIMEOUT"], allow_redirects=False, headers={
                "Content-Type": "application/json", "Idempotency-Key": event_id,
                "X-Timestamp": str(now), "X-Signature": self.signature(sub.secret, now, body)})
        except requests.RequestException as exc:
            return None, f"{type(exc).__name__}: {exc}"
        with r:
            return r.status_code, None

    def dispatch(self, sub: Subscription, event: dict) -> dict:
        body = json.dumps(event, separators=(",", ":")).encode()
        limit = self.config["WEBHOOK_MAX_ATTEMPTS"]
        number = 0
        for number in range(1, limit + 1):
            if number > 1:
                self.config["WEBHOOK_SLEEP"](self.config["WEBHOOK_BACKOFF_BASE"] * 2 ** (number - 2))
            status, error = self._send(sub, event["id"], body)
            ok = status is not None and 200 <= status < 300
            sub.attempts.append(Attempt(event["id"], number, status, error, ok))
            if ok:
                return {"webhook_id": sub.id, "status": "delivered", "attempts": number}
            if not self.should_retry(status):
                break
        return {"webhook_id": sub.id, "status": "failed", "attempts": number}
