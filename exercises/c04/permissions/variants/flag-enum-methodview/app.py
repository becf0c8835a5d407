"""Reports API with permissions as an enum.Flag and MethodView resources."""
import os

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

import access
from resources import bp


def create_app(test_config=None):
    app = Flask(__name__)
    app.config["API_TOKENS"] = {}
    app.config["IP_ALLOWLIST"] = []
    app.config["IP_DENYLIST"] = []
    app.config["TRUSTED_PROXIES"] = int(os.environ.get("TRUSTED_PROXIES", 0))
    if test_config is not None:
        app.config.from_mapping(test_config)
    if app.config["TRUSTED_PROXIES"] > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"], x_proto=0, x_host=0)
    access.IPRules.from_config(app.config).install(app)
    app.register_blueprint(bp)

    @app.errorhandler(HTTPException)
    def as_json(e):
        return jsonify(error=e.description), e.code

    @app.route("/health")
    def health():
        return jsonify(status="ok")

    return app
