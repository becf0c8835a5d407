"""Rate limits and security headers for the API (see README.md).

TODO:
1. A Flask-Limiter `Limiter` whose key function returns the client's identity:
   "key:<client name>" for a valid X-API-Key, else "ip:<remote address>".
2. The default limit from app.config["RATELIMIT_DEFAULT"], POST /auth/login limited to
   "5 per minute", /health exempt.
3. A JSON 429 answer with a Retry-After header.
4. The security headers on every response (HSTS over HTTPS only).
"""


def init_security(app):
    """Called by create_app() once the configuration is complete."""
    # TODO: set up the limiter and the headers here.
