"""Products API: factory, a blueprint with a MethodView; the caching lives in cache_levels.py."""
import os

from flask import Flask

from cache_levels import L1Cache
from products import bp
from store import ProductStore


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        L1_MAX_ITEMS=100,
        L1_TTL=5,
        L2_TTL=60,
        STORE_DELAY=0.2,
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["store"] = ProductStore(delay=app.config["STORE_DELAY"])
    app.extensions["l1"] = L1Cache(app.config["L1_MAX_ITEMS"], app.config["L1_TTL"])
    app.register_blueprint(bp)
    return app
