"""Products API with a Redis read-through cache and cache warming (see README.md)."""
import json
import logging
import os

import click
from flask import Flask, current_app, jsonify, request
from redis.exceptions import RedisError

import warming
from redis_conn import get_redis
from store import ProductStore

log = logging.getLogger(__name__)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        CACHE_TTL=300,  # seconds a product stays in Redis
        STORE_DELAY=0.2,  # the store is slow: that is why we warm the cache
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["store"] = ProductStore(delay=app.config["STORE_DELAY"])

    @app.get("/api/products/<int:product_id>")
    def get_product(product_id):
        key = f"product:{product_id}"
        try:
            text = get_redis().get(key)
        except RedisError as e:
            log.warning("Redis unavailable: %s", e)
            text = None
        if text is not None:
            count_read(product_id)
            return current_app.response_class(text, mimetype="application/json", headers={"X-Cache": "HIT"})
        product = current_app.extensions["store"].get(product_id)
        if product is None:
            return jsonify(error="product not found"), 404
        try:
            get_redis().set(key, json.dumps(product), ex=current_app.config["CACHE_TTL"])
        except RedisError as e:
            log.warning("Redis unavailable: %s", e)
        count_read(product_id)
        return jsonify(product), 200, {"X-Cache": "MISS"}

    @app.post("/api/cache/warm")
    def warm_cache():
        body = request.get_json(silent=True) if request.get_data() else {}
        try:
            ids, top, force = warming.parse_request(body)
        except ValueError as e:
            return jsonify(error=str(e)), 400
        try:
            if top is not None:
                ids = warming.most_read(top)
            elif ids is None:
                ids = current_app.extensions["store"].ids()
            return jsonify(warming.warm(ids, force=force))
        except RedisError as e:
            log.error("cache warming failed: %s", e)
            return jsonify(error="cache unavailable"), 503

    @app.cli.command("warm-cache")
    @click.option("--top", type=click.IntRange(1, 100), default=None, help="Warm only the N most read products.")
    def warm_cache_command(top):
        """Load products into Redis before the traffic comes."""
        ids = warming.most_read(top) if top else current_app.extensions["store"].ids()
        result = warming.warm(ids)
        click.echo(f"warmed {len(result['warmed'])}, skipped {len(result['skipped'])}, missing {len(result['missing'])}")

    return app


def count_read(product_id):
    try:
        warming.record_read(product_id)
    except RedisError as e:
        log.warning("Redis unavailable, read not counted: %s", e)
