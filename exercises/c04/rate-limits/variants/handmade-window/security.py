"""Rate limits and security headers by hand: a fixed-window counter per (client, route).

The counters live in this process's memory, like Flask-Limiter's memory:// storage; several
worker processes would need a shared store (Redis INCR + EXPIRE) instead.
"""
import hmac
import math
import re
import threading
import time

from flask import current_app, request
from werkzeug.exceptions import TooManyRequests

_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_LIMIT = re.compile(r"^\s*(\d+)\s*(?:per|/)\s*(second|minute|hour|day)s?\s*$", re.IGNORECASE)


def parse_limit(text):
    """'5 per minute' -> (5, 60)."""
    match = _LIMIT.match(text)
    if not match:
        raise ValueError(f"not a rate limit: {text!r} (expected e.g. '60 per minute')")
    return int(match.group(1)), _UNITS[match.group(2).lower()]


def limit(text):
    """Give one view its own limit instead of the default."""
    def mark(view):
        view.rate_limit = text
        return view
    return mark


def exempt(view):
    """Never limit this view."""
    view.rate_limit = None
    return view


class FixedWindowCounter:
    def __init__(self):
        self._lock = threading.Lock()
        self._windows = {}  # key -> [window end, hits]

    def hit(self, key, amount, seconds):
        """Count one hit; return None when allowed, else the seconds until the window ends."""
        now = time.monotonic()
        with self._lock:
            window = self._windows.get(key)
            if window is None or window[0] <= now:
                window = self._windows[key] = [now + seconds, 0]
            if window[1] >= amount:
                return max(1, math.ceil(window[0] - now))
            window[1] += 1
            return None


def client_key():
    sent = request.headers.get("X-API-Key", "")
    if sent:
        for key, name in current_app.config.get("API_KEYS", {}).items():
            if hmac.compare_digest(sent.encode(), key.encode()):
                return f"key:{name}"
    return f"ip:{request.remote_addr or 'unknown'}"


class RateLimitExceeded(TooManyRequests):
    def __init__(self, limit_text, retry_after):
        super().__init__(description=f"Rate limit exceeded: {limit_text}.")
        self.retry_after = retry_after

    def get_headers(self, environ=None, scope=None):
        return super().get_headers(environ, scope) + [("Retry-After", str(self.retry_after))]


def init_security(app):
    default = app.config["RATELIMIT_DEFAULT"]
    parse_limit(default)  # fail at start-up, not on the first request
    counter = FixedWindowCounter()

    @app.before_request
    def check_rate_limit():
        view = app.view_functions.get(request.endpoint)
        if view is None:  # 404/405: no route, nothing to count
            return None
        text = getattr(view, "rate_limit", default)
        if text is None:
            return None
        amount, seconds = parse_limit(text)
        retry_after = counter.hit((client_key(), request.endpoint), amount, seconds)
        if retry_after is not None:
            raise RateLimitExceeded(text, retry_after)
        return None

    @app.after_request
    def security_headers(response):
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
        response.headers["Referrer-Policy"] = "no-referrer"
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
