import hmac
from functools import wraps

from flask import Blueprint, current_app, jsonify, request
from redis.exceptions import RedisError

from tagged_cache import TaggedCache

admin_bp = Blueprint("cache_admin", __name__)


def admin_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        token = current_app.config.get("ADMIN_TOKEN") or ""
        sent = request.headers.get("X-Admin-Token") or ""
        if not (token and hmac.compare_digest(sent, token)):
            return jsonify(error="admin token required"), 401
        return view(*args, **kwargs)

    return wrapper


@admin_bp.post("/invalidate")
@admin_required
def invalidate():
    body = request.get_json(silent=True)
    tags = body.get("tags") if isinstance(body, dict) and len(body) == 1 else None
    if not (isinstance(tags, list) and 1 <= len(tags) <= 100 and all(isinstance(t, str) and t.strip() for t in tags)):
        return jsonify(error="body: {\"tags\": [1 to 100 non-empty strings]}"), 400
    try:
        return jsonify(invalidated=TaggedCache.current().invalidate(*tags))
    except RedisError:
        return jsonify(error="cache unavailable"), 503
