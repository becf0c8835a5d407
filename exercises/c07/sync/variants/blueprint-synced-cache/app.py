"""Products API whose in-process cache is kept in sync across instances: factory, a blueprint
with a MethodView, and a SyncedCache that owns L1 and the pub/sub plumbing."""
import os
import uuid

from flask import Flask

from products import bp
from store import ProductStore
from synced_cache import SyncedCache


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        CACHE_CHANNEL="cache:invalidate",
        INSTANCE_ID=None,
        L1_TTL=60,
        STORE_DELAY=0.2,
        PRODUCT_STORE=None,
    )
    if test_config:
        app.config.update(test_config)
    app.config["INSTANCE_ID"] = app.config["INSTANCE_ID"] or uuid.uuid4().hex
    app.extensions["store"] = app.config["PRODUCT_STORE"] or ProductStore(delay=app.config["STORE_DELAY"])
    SyncedCache(app)
    app.register_blueprint(bp)
    return app
