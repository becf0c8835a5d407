import hmac

from flask import Blueprint, current_app, jsonify, request
from flask.views import MethodView
from redis.exceptions import RedisError

from cache_stats import CacheStats
from redis_conn import get_redis

stats_bp = Blueprint("stats", __name__)


@stats_bp.before_request
def require_admin():
    configured = current_app.config.get("ADMIN_TOKEN")
    sent = request.headers.get("X-Admin-Token")
    if not configured or sent is None or not hmac.compare_digest(sent, configured):
        return jsonify(error="unauthorized"), 401
    return None


class StatsAPI(MethodView):
    def get(self):
        try:
            return jsonify(CacheStats(get_redis()).snapshot())
        except RedisError:
            return jsonify(error="statistics unavailable: Redis is down"), 503

    def delete(self):
        try:
            CacheStats(get_redis()).clear()
        except RedisError:
            return jsonify(error="statistics unavailable: Redis is down"), 503
        return "", 204


stats_bp.add_url_rule("/stats", view_func=StatsAPI.as_view("stats"))
