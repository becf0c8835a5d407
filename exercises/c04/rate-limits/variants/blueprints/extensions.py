"""The app's extensions: the rate limiter and the security headers."""
import hmac

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def rate_limit_key():
    """A valid API key's client, else the caller's address (an unknown key counts as its address)."""
    sent = request.headers.get("X-API-Key")
    if sent:
        clients = current_app.config["API_KEYS"]
        match = next((name for key, name in clients.items() if hmac.compare_digest(key.encode(), sent.encode())), None)
        if match is not None:
            return "client/" + match
    return "addr/" + get_remote_address()


# Headers, default limit and storage are read from the configuration in init_app().
limiter = Limiter(key_func=rate_limit_key)


class SecureHeaders:
    """Security headers for a JSON API, on every response; HSTS on HTTPS responses only."""

    headers = (
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
        ("Referrer-Policy", "no-referrer"),
    )

    def __init__(self, app=None, hsts_max_age=31536000):
        self.hsts = f"max-age={hsts_max_age}; includeSubDomains"
        if app is not None:
            self.init_app(app)

    def init_app(self, app):
        app.after_request(self.apply)

    def apply(self, response):
        response.headers.extend(self.headers)
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = self.hsts
        return response


secure_headers = SecureHeaders()
