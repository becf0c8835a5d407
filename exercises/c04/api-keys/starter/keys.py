"""Key management (/keys, for the administrator) and an API protected by X-API-Key (/api/data).

TODO (see the brief's numbered requirements):
- POST /keys: make a key "ft_live_" + 8 of a-z0-9 + "_" + a secret (secrets.token_urlsafe(32)),
  store its prefix and a hash, answer the whole key once;
- GET /keys: list the keys, never a key or a hash;
- POST /keys/<id>/rotate and DELETE /keys/<id>;
- api_key_required: find the row by the prefix, compare the hashes with hmac.compare_digest.
"""
import functools
import hmac

from flask import Blueprint, abort, current_app, jsonify, request

from models import ApiKey, db  # noqa: F401  (ApiKey: for your routes)

bp = Blueprint("keys", __name__)


def admin_required(view):
    """Authorization: Bearer <ADMIN_TOKEN>, compared in constant time; refused when unset."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        expected = current_app.config.get("ADMIN_TOKEN") or ""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if not expected or scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected.encode()):
            abort(401, description="Key management needs Authorization: Bearer <admin token>")
        return view(*args, **kwargs)
    return wrapper


def api_key_required(view):
    """TODO: 401 unless the X-API-Key header holds a valid, unrevoked key."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)
    return wrapper


@bp.post("/keys")
@admin_required
def create_key():
    return jsonify(error="POST /keys is not written yet"), 501


@bp.get("/keys")
@admin_required
def list_keys():
    return jsonify(error="GET /keys is not written yet"), 501


@bp.post("/keys/<int:key_id>/rotate")
@admin_required
def rotate_key(key_id):
    return jsonify(error="POST /keys/<id>/rotate is not written yet"), 501


@bp.delete("/keys/<int:key_id>")
@admin_required
def revoke_key(key_id):
    return jsonify(error="DELETE /keys/<id> is not written yet"), 501


@bp.get("/api/data")
@api_key_required
def data():
    return jsonify(error="GET /api/data is not written yet"), 501
