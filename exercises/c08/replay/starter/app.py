import os

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

import projection  # noqa: F401
from models import AccountBalance, Event, db  # noqa: F401

EVENT_TYPES = {"account.opened", "money.deposited", "money.withdrawn"}


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "events.db"))
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    # TODO: append (validate, 409 rules, live projection in the same transaction), list, read
    # an account, rebuild, replay (see the brief).
    @app.post("/api/events")
    def append():
        return jsonify(error="not implemented yet"), 501

    @app.get("/api/events")
    def list_events():
        return jsonify(error="not implemented yet"), 501

    @app.get("/api/accounts/<account_id>")
    def account(account_id):
        return jsonify(error="not implemented yet"), 501

    @app.post("/api/projections/balances/rebuild")
    def rebuild():
        return jsonify(error="not implemented yet"), 501

    @app.post("/api/projections/balances/replay")
    def replay():
        return jsonify(error="not implemented yet"), 501

    with app.app_context():
        db.create_all()
    return app
