"""Products API with cache warming: factory, blueprints, a MethodView; the warm command lives on
the blueprint (cli_group=None keeps it `flask warm-cache`)."""
import os

from flask import Flask

from cache_admin import admin_bp
from products import products_bp
from store import ProductStore


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), CACHE_TTL=300, STORE_DELAY=0.2)
    if test_config:
        app.config.update(test_config)
    app.extensions["store"] = ProductStore(delay=app.config["STORE_DELAY"])
    app.register_blueprint(products_bp)
    app.register_blueprint(admin_bp)
    return app
