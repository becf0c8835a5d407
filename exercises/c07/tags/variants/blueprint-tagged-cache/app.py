"""Products API with tag-based invalidation: factory, blueprints, a TaggedCache class."""
import os

from flask import Flask

from admin import admin_bp
from products import products_bp
from store import ProductStore


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        CACHE_TTL=300,
        STORE_DELAY=0.2,
        ADMIN_TOKEN=os.environ.get("ADMIN_TOKEN"),
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["store"] = ProductStore(delay=app.config["STORE_DELAY"])
    app.register_blueprint(products_bp, url_prefix="/api")
    app.register_blueprint(admin_bp, url_prefix="/api/cache")
    return app
