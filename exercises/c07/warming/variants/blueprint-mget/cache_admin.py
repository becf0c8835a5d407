import json

import click
from flask import Blueprint, current_app, jsonify, request
from flask.views import MethodView
from redis.exceptions import RedisError

from redis_conn import get_redis

admin_bp = Blueprint("cache_admin", __name__, url_prefix="/api/cache", cli_group=None)


def warm(ids, force=False):
    """MGET says what is cached in one round trip; a MULTI/EXEC pipeline writes the rest."""
    ids = sorted(set(ids))
    redis, store, ttl = get_redis(), current_app.extensions["store"], current_app.config["CACHE_TTL"]
    present = [None] * len(ids) if force or not ids else redis.mget([f"product:{i}" for i in ids])
    report = {"warmed": [], "skipped": [], "missing": []}
    with redis.pipeline() as pipe:
        for product_id, value in zip(ids, present):
            if value is not None:
                report["skipped"].append(product_id)
            elif (product := store.get(product_id)) is None:
                report["missing"].append(product_id)
            else:
                pipe.set(f"product:{product_id}", json.dumps(product), ex=ttl)
                report["warmed"].append(product_id)
        pipe.execute()
    return report


def most_read(n):
    return [int(m) for m in get_redis().zrevrange("product:popularity", 0, n - 1)]


class WarmAPI(MethodView):
    def post(self):
        body = request.get_json(silent=True) if request.get_data() else {}
        error = self.problem(body)
        if error:
            return jsonify(error=error), 400
        try:
            if "top" in body:
                ids = most_read(body["top"])
            else:
                ids = body["ids"] if "ids" in body else current_app.extensions["store"].ids()
            return jsonify(warm(ids, force=body.get("force", False)))
        except RedisError:
            current_app.logger.exception("warming failed")
            return jsonify(error="cache unavailable, try again later"), 503

    @staticmethod
    def problem(body):
        if type(body) is not dict:
            return "expected a JSON object"
        if not set(body) <= {"ids", "top", "force"}:
            return "allowed fields: ids, top, force"
        if {"ids", "top"} <= set(body):
            return "give ids or top"
        ids = body.get("ids", [1])
        if type(ids) is not list or not 1 <= len(ids) <= 1000 or any(type(i) is not int or i < 1 for i in ids):
            return "ids must be 1 to 1000 integers >= 1"
        top = body.get("top", 1)
        if type(top) is not int or not 1 <= top <= 100:
            return "top must be an integer in 1..100"
        if type(body.get("force", False)) is not bool:
            return "force must be a boolean"
        return None


admin_bp.add_url_rule("/warm", view_func=WarmAPI.as_view("warm"))


@admin_bp.cli.command("warm-cache")
@click.option("--top", type=click.IntRange(1, 100))
def warm_cache_command(top):
    """Warm every product, or the --top N most read."""
    report = warm(most_read(top) if top else current_app.extensions["store"].ids())
    click.echo(f"warmed {len(report['warmed'])}, skipped {len(report['skipped'])}, missing {len(report['missing'])}")
