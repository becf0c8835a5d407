"""Application factory: the database, the orders blueprint, JSON errors."""
import os

from flask import Flask
from werkzeug.exceptions import HTTPException

from models import db, seed
from orders import bp


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "orders.db"),
        SAGA_FAIL_STEP=None,
    )
    app.config.from_mapping(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    app.register_blueprint(bp)

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    with app.app_context():
        db.create_all()
        seed()
    return app
