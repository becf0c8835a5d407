"""Key management (/keys, for the administrator) and an API protected by X-API-Key (/api/data).

A key is "ft_live_" + 8 random characters (the prefix: public, stored, used to find the row)
+ "_" + a 256-bit random secret. The database keeps only HMAC-SHA256(SECRET_KEY, key): a copy of
the database opens nothing. The whole key is shown once, when it is made.
"""
import functools
import hashlib
import hmac
import secrets
import string
import time

from flask import Blueprint, abort, current_app, g, jsonify, request

from models import ApiKey, db

bp = Blueprint("keys", __name__)

PREFIX_START = "ft_live_"
PREFIX_LENGTH = len(PREFIX_START) + 8
_ALPHABET = string.ascii_lowercase + string.digits


def digest(key):
    pepper = current_app.config["SECRET_KEY"].encode()
    return hmac.new(pepper, key.encode(), hashlib.sha256).hexdigest()


def new_key():
    """(prefix, key) with a prefix no other key uses."""
    while True:
        prefix = PREFIX_START + "".join(secrets.choice(_ALPHABET) for _ in range(8))
        if db.session.execute(db.select(ApiKey.id).filter_by(prefix=prefix)).first() is None:
            return prefix, f"{prefix}_{secrets.token_urlsafe(32)}"


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
    """X-API-Key: <key> (never a query parameter: URLs end up in logs). Sets g.api_key."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get("X-API-Key", "").strip()
        row = None
        if key.startswith(PREFIX_START) and key[PREFIX_LENGTH:PREFIX_LENGTH + 1] == "_":
            row = db.session.execute(db.select(ApiKey).filter_by(prefix=key[:PREFIX_LENGTH])).scalar_one_or_none()
        # Compare digests in constant time, and do it even without a row, so timing tells nothing.
        stored = row.key_hash if row is not None else "0" * 64
        if row is None or row.revoked_at is not None:
            abort(401, description="Send a valid, unrevoked API key in the X-API-Key header")
        g.api_key = row
        return view(*args, **kwargs)
    return wrapper


def _key_or_404(key_id):
    row = db.session.get(ApiKey, key_id)
    if row is None:
        abort(404, description=f"API key {key_id} not found")
    return row


def _with_secret(row, key):
    """The only answer that ever holds the key: right after it is made."""
    return {"id": row.id, "name": row.name, "prefix": row.prefix, "key": key}


@bp.post("/keys")
@admin_required
def create_key():
    data = request.get_json(silent=True)
    name = data.get("name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= 80:
        abort(400, description="name: a string of 1 to 80 characters")
    prefix, key = new_key()
    row = ApiKey(name=name.strip(), prefix=prefix, key_hash=digest(key), created_at=int(time.time()))
    db.session.add(row)
    db.session.commit()
    return jsonify(_with_secret(row, key)), 201


@bp.get("/keys")
@admin_required
def list_keys():
    rows = db.session.execute(db.select(ApiKey).order_by(ApiKey.id)).scalars()
    return jsonify([row.to_dict() for row in rows])


@bp.post("/keys/<int:key_id>/rotate")
@admin_required
def rotate_key(key_id):
    row = _key_or_404(key_id)
    if row.revoked_at is not None:
        abort(409, description=f"API key {key_id} is revoked: create a new one")
    row.prefix, key = new_key()
    row.key_hash = digest(key)  # the old key stops matching at once
    db.session.commit()
    return jsonify(_with_secret(row, key))


@bp.delete("/keys/<int:key_id>")
@admin_required
def revoke_key(key_id):
    row = _key_or_404(key_id)
    if row.revoked_at is None:
        row.revoked_at = int(time.time())
        db.session.commit()
    return "", 204


@bp.get("/api/data")
@api_key_required
def data():
    return jsonify(client=g.api_key.name)
