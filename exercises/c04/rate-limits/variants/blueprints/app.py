"""A small JSON API in blueprints, rate limited with Flask-Limiter, with security headers."""
import os

from flask import Flask, jsonify
from flask_limiter.errors import RateLimitExceeded
from werkzeug.exceptions import HTTPException
from werkzeug.security import generate_password_hash

from extensions import limiter, secure_headers
from views import auth_bp, health_bp, items_bp


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-key-set-SECRET_KEY-in-production"),
        USERS={"alice": generate_password_hash(os.environ.get("DEMO_PASSWORD", "wonderland"))},
        API_KEYS={key: name for name, _, key in
                  (pair.partition(":") for pair in os.environ.get("API_KEYS", "").split(",") if pair)},
        RATELIMIT_DEFAULT="60 per minute",
        RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        RATELIMIT_HEADERS_ENABLED=True,  # X-RateLimit-* and Retry-After
    )
    if test_config:
        app.config.update(test_config)

    limiter.init_app(app)
    secure_headers.init_app(app)
    for bp in (health_bp, auth_bp, items_bp):
        app.register_blueprint(bp)

    @app.errorhandler(RateLimitExceeded)
    def too_many(error):
        # Flask-Limiter adds Retry-After to this response in its after_request hook.
        return jsonify(error="too_many_requests", message=error.description), 429

    @app.errorhandler(HTTPException)
    def json_error(error):
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return jsonify(error=error.name.lower().replace(" ", "_"), message=error.description), error.code, headers

    return app
