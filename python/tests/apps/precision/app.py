"""Feedback precision fixture: routes whose answers checks provoke on purpose or by mistake."""
from flask import Flask, jsonify, render_template

from models import Book


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

    @app.get("/list")
    def list_page():
        return render_template("list.html", items=["a", "b"])

    @app.get("/books/1")
    def book():
        return jsonify(Book("Dune").to_dict())

    return app
