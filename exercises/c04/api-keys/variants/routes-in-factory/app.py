"""API keys, everything in the factory: routes on the app, legacy Model.query, and only the
secret part of each key hashed (the prefix is stored apart, in the clear)."""
import functools
import hashlib
import os
import secrets
import string
from datetime import datetime, timezone

from flask import Flask, abort, g, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()


class Key(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    label = db.Column(db.String(80), nullable=False)
    lookup = db.Column(db.String(8), unique=True, nullable=False)  # the 8 characters after ft_live_
    secret_digest = db.Column(db.String(64), nullable=False)
    revoked_at = db.Column(db.DateTime)

    @property
    def prefix(self):
        return "ft_live_" + self.lookup


def _digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def _issue(key):
    """Give this row a new lookup and secret; answer the whole key (shown once)."""
    while True:
        lookup = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(8))
        if Key.query.filter_by(lookup=lookup).first() is None:
            break
    secret = secrets.token_urlsafe(32)
    key.lookup, key.secret_digest = lookup, _digest(secret)
    return f"ft_live_{lookup}_{secret}"


def create_app(test_config=None):
    app = Flask(__name__)
    app.config["ADMIN_TOKEN"] = os.environ.get("ADMIN_TOKEN", "")
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get(
        "DATABASE_URL", "sqlite:///" + os.path.join(app.instance_path, "keys.sqlite"))
    app.config.update(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    with app.app_context():
        db.create_all()

    @app.errorhandler(HTTPException)
    def json_error(e):
        return {"error": e.description}, e.code

    def admin_only(view):
        @functools.wraps(view)
        def inner(*args, **kwargs):
            token = app.config.get("ADMIN_TOKEN")
            if not token or not secrets.compare_digest(request.headers.get("Authorization", ""), "Bearer " + token):
                abort(401, "admin token required")
            return view(*args, **kwargs)
        return inner

    def client_only(view):
        @functools.wraps(view)
        def inner(*args, **kwargs):
            parts = request.headers.get("X-API-Key", "").split("_", 3)
            if len(parts) != 4 or parts[0] != "ft" or parts[1] != "live":
                abort(401, "malformed API key")
            key = Key.query.filter_by(lookup=parts[2]).first()
            if key is None or key.revoked_at or not secrets.compare_digest(_digest(parts[3]), key.secret_digest):
                abort(401, "invalid API key")
            g.key = key
            return view(*args, **kwargs)
        return inner

    def one(key_id):
        return Key.query.get(key_id) or abort(404, "no such key")

    @app.route("/keys", methods=["POST"])
    @admin_only
    def create():
        data = request.get_json(silent=True)
        label = data.get("name") if isinstance(data, dict) else None
        if not isinstance(label, str) or not 0 < len(label.strip()) <= 80:
            abort(400, "name: 1 to 80 characters")
        key = Key(label=label.strip())
        full = _issue(key)
        db.session.add(key)
        db.session.commit()
        return {"id": key.id, "name": key.label, "prefix": key.prefix, "key": full}, 201

    @app.route("/keys", methods=["GET"])
    @admin_only
    def index():
        return jsonify([{"id": k.id, "name": k.label, "prefix": k.prefix, "revoked": k.revoked_at is not None}
                        for k in Key.query.order_by(Key.id)])

    @app.route("/keys/<int:key_id>/rotate", methods=["POST"])
    @admin_only
    def rotate(key_id):
        key = one(key_id)
        if key.revoked_at:
            abort(409, "revoked")
        full = _issue(key)
        db.session.commit()
        return {"id": key.id, "name": key.label, "prefix": key.prefix, "key": full}

    @app.route("/keys/<int:key_id>", methods=["DELETE"])
    @admin_only
    def revoke(key_id):
        key = one(key_id)
        key.revoked_at = key.revoked_at or datetime.now(timezone.utc)
        db.session.commit()
        return "", 204

    @app.route("/api/data")
    @client_only
    def data():
        return {"client": g.key.label}

    return app
