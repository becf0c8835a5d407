"""Application factory: configuration, the window store and the events blueprint."""
import time

from flask import Flask
from werkzeug.exceptions import HTTPException

from events import WindowStore, bp


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(CLOCK=time.time, WINDOW_SECONDS=60, ALLOWED_LATENESS=5,
                      SSE_POLL_SECONDS=1.0, SSE_HEARTBEAT_SECONDS=15.0, SSE_RETRY_MS=3000)
    app.config.update(test_config or {})
    app.extensions["windows"] = WindowStore()
    app.register_blueprint(bp)

    @app.errorhandler(HTTPException)
    def as_json(error):
        return {"error": error.description}, error.code

    return app
