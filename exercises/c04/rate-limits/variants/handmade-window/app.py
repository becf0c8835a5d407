"""A small JSON API: a catalogue of items, a login and a health check.

Rate limits (a hand-made fixed window) and security headers live in security.py.
"""
import os

from flask import Flask, jsonify, request, session
from werkzeug.exceptions import HTTPException
from werkzeug.security import check_password_hash, generate_password_hash

from security import exempt, init_security, limit

ITEMS = [
    {"id": 1, "name": "keyboard"},
    {"id": 2, "name": "mouse"},
    {"id": 3, "name": "monitor"},
]


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        # Set SECRET_KEY in the environment in production.
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-key-set-SECRET_KEY-in-production"),
        # username -> password hash (a database in a real app).
        USERS={"alice": generate_password_hash(os.environ.get("DEMO_PASSWORD", "wonderland"))},
        # API key -> client name. In production: API_KEYS="name1:key1,name2:key2" in the environment.
        API_KEYS={key: name for name, _, key in
                  (pair.partition(":") for pair in os.environ.get("API_KEYS", "").split(",") if pair)},
        RATELIMIT_DEFAULT="60 per minute",
        # memory:// is one process only; use redis://... when several workers serve the API.
        RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
    )
    if test_config:
        app.config.update(test_config)

    init_security(app)

    @app.errorhandler(HTTPException)
    def json_error(error):
        # Keep the error's own headers (Allow on a 405, Retry-After on a 429...), not its HTML type.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        body = jsonify(error=error.name.lower().replace(" ", "_"), message=error.description)
        return body, error.code, headers

    @app.get("/health")
    @exempt
    def health():
        return {"status": "ok"}

    @app.post("/auth/login")
    @limit("5 per minute")
    def login():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return {"error": "bad_request", "message": "Send a JSON object."}, 400
        username, password = data.get("username"), data.get("password")
        stored = app.config["USERS"].get(username) if isinstance(username, str) else None
        if stored is None or not isinstance(password, str) or not check_password_hash(stored, password):
            return {"error": "invalid_credentials", "message": "Wrong username or password."}, 401
        session.clear()
        session["user"] = username
        return {"username": username}

    @app.get("/api/items")
    def list_items():
        return jsonify(ITEMS)

    @app.get("/api/items/<int:item_id>")
    def get_item(item_id):
        for item in ITEMS:
            if item["id"] == item_id:
                return item
        return {"error": "not_found", "message": f"No item {item_id}."}, 404

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
