import time

from flask import Flask

from api import bp


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(WEBHOOK_MAX_ATTEMPTS=5, WEBHOOK_BACKOFF_BASE=0.5, WEBHOOK_TIMEOUT=5.0, WEBHOOK_SLEEP=time.sleep)
    app.config.update(config or {})
    app.extensions["subscriptions"] = {}
    app.register_blueprint(bp)
    return app
