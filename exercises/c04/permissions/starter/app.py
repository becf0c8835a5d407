"""A reports API behind role-based permissions and IP allow/deny lists.

Configuration (app.config, from create_app(test_config) or your settings):
- API_TOKENS: {token: {"user": name, "role": role}}: who holds which bearer token;
- IP_ALLOWLIST / IP_DENYLIST: addresses or CIDR networks (IPv4 or IPv6);
- TRUSTED_PROXIES: how many reverse proxies in front of the app append X-Forwarded-For (0: none,
  the header is ignored).
"""
import os

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from reports import bp as reports_bp
from security import init_ip_filter


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        API_TOKENS={},
        IP_ALLOWLIST=[],
        IP_DENYLIST=[],
        TRUSTED_PROXIES=int(os.environ.get("TRUSTED_PROXIES", "0")),
    )
    if test_config:
        app.config.update(test_config)

    # TODO: with TRUSTED_PROXIES > 0, wrap app.wsgi_app in werkzeug's ProxyFix (x_for=...)

    init_ip_filter(app)
    app.register_blueprint(reports_bp)

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = jsonify(error=error.description)
        response.status_code = error.code
        return response

    @app.get("/health")
    def health():
        return jsonify(status="ok")

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
