"""Admin views (MethodView) and the key-protected API (a blueprint-wide before_request)."""
import hashlib
import hmac
import secrets
import string

from flask import Blueprint, abort, current_app, g, jsonify, request
from flask.views import MethodView

from models import ClientKey, db

admin = Blueprint("admin", __name__)
api = Blueprint("api", __name__)

LOOKUP_CHARS = string.ascii_lowercase + string.digits


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def make_key():
    while True:
        prefix = "ft_live_" + "".join(secrets.choice(LOOKUP_CHARS) for _ in range(8))
        if not db.session.execute(db.select(ClientKey).filter_by(prefix=prefix)).first():
            return prefix, prefix + "_" + secrets.token_urlsafe(32)


@admin.before_request
def require_admin():
    token = current_app.config.get("ADMIN_TOKEN") or ""
    sent = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        abort(401, description="admin token required")


@api.before_request
def require_api_key():
    sent = request.headers.get("X-API-Key", "")
    row = db.session.execute(db.select(ClientKey).filter_by(prefix=sent[:16])).scalar_one_or_none() if len(sent) > 17 else None
    if row is None or row.revoked or not hmac.compare_digest(sha256(sent), row.sha256):
        abort(401, description="invalid or missing API key")
    g.client = row


def fresh_key_body(row, key):
    return jsonify(id=row.id, name=row.name, prefix=row.prefix, key=key)


def find(key_id):
    return db.session.get(ClientKey, key_id) or abort(404, description="no such key")


class KeyList(MethodView):
    def get(self):
        return jsonify([k.public() for k in db.session.execute(db.select(ClientKey).order_by(ClientKey.id)).scalars()])

    def post(self):
        body = request.get_json(silent=True)
        name = body.get("name") if isinstance(body, dict) else None
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > 80:
            abort(400, description="name must be 1-80 characters")
        prefix, key = make_key()
        row = ClientKey(name=name.strip(), prefix=prefix, sha256=sha256(key))
        db.session.add(row)
        db.session.commit()
        return fresh_key_body(row, key), 201


class KeyItem(MethodView):
    def delete(self, key_id):
        find(key_id).revoked = True
        db.session.commit()
        return "", 204


class KeyRotation(MethodView):
    def post(self, key_id):
        row = find(key_id)
        if row.revoked:
            abort(409, description="revoked keys cannot be rotated")
        row.prefix, key = make_key()
        row.sha256 = sha256(key)
        db.session.commit()
        return fresh_key_body(row, key)


admin.add_url_rule("/keys", view_func=KeyList.as_view("keys"))
admin.add_url_rule("/keys/<int:key_id>", view_func=KeyItem.as_view("key"))
admin.add_url_rule("/keys/<int:key_id>/rotate", view_func=KeyRotation.as_view("rotate"))


@api.get("/data")
def data():
    return jsonify(client=g.client.name)
