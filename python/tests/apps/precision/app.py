"""Feedback precision fixture: routes whose answers checks provoke on purpose or by mistake."""
from flask import Flask, jsonify


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)

    @app.get("/messages")
    def messages():
        return jsonify(method="GET")

    @app.get("/health/")
    def health():
        return jsonify(status="ok")

    @app.get("/me")
    def me():
        return jsonify(name="ada", role="admin")

    return app
