import os

from flask import Flask

from bus import bus
from views import api


def create_app(config=None):
    app = Flask(__name__)
    app.config["AMQP_URL"] = os.environ.get("AMQP_URL")
    app.config.update(config or {})
    bus.init_app(app)
    app.register_blueprint(api)
    return app
