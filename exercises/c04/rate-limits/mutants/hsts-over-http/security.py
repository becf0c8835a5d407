"""Rate limits (Flask-Limiter) and security headers for the API.

Every client gets its own counters: a valid API key counts as its client wherever it calls from,
anything else counts as its remote address. Behind a reverse proxy, wrap the app in
werkzeug.middleware.proxy_fix.ProxyFix so that request.remote_addr is the caller, not the proxy.
"""
import hmac

from flask import current_app, request
from flask_limiter import Limiter

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}
HSTS = "max-age=31536000; includeSubDomains"


def api_client_name():
    """The client name of a valid X-API-Key header, else None (compared in constant time)."""
    sent = request.headers.get("X-API-Key", "")
    if not sent:
        return None
    for key, name in current_app.config.get("API_KEYS", {}).items():
        if hmac.compare_digest(sent.encode(), key.encode()):
            return name
    return None


def client_key():
    """Who is calling: the API client of a *valid* key, else the remote address. An unknown
    key must not get a fresh counter, or inventing keys would bypass the limit."""
    name = api_client_name()
    if name is not None:
        return f"key:{name}"
    return f"ip:{request.remote_addr or 'unknown'}"


# The default limit and the storage are read from the app's configuration (RATELIMIT_DEFAULT,
# RATELIMIT_STORAGE_URI) when init_app() runs; headers_enabled adds Retry-After and X-RateLimit-*.
limiter = Limiter(client_key, headers_enabled=True)


def set_security_headers(response):
    for header, value in SECURITY_HEADERS.items():
        response.headers.setdefault(header, value)
    # HSTS is only meaningful (and only honoured by browsers) on an HTTPS response.
    response.headers["Strict-Transport-Security"] = HSTS
    return response


def init_security(app):
    """Called by create_app() once the configuration is complete."""
    limiter.init_app(app)
    app.after_request(set_security_headers)
