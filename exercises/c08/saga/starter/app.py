"""Orders through a saga: reserve stock, charge the payment, schedule the shipping; compensate on failure."""
import os

from flask import Flask, abort, request  # noqa: F401
from werkzeug.exceptions import HTTPException

from models import db, seed


def validated(data):
    """The order from a JSON body ({"sku", "quantity", "amount_cents"}), or 400."""
    if not isinstance(data, dict):
        abort(400, description="send a JSON object")
    sku = data.get("sku")
    if not isinstance(sku, str) or not sku.strip():
        abort(400, description="sku must be a non-blank string")
    clean = {"sku": sku.strip()}
    for key in ("quantity", "amount_cents"):
        value = data.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            abort(400, description=f"{key} must be a whole number of 1 or more")
        clean[key] = value
    return clean


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "orders.db"),
        SAGA_FAIL_STEP=None,
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    @app.post("/api/orders")
    def create_order():
        # TODO: validate the body (validated(...)), honour Idempotency-Key, start the saga (saga.py),
        # answer 201 (completed) or 422 (compensated) with the saga and a Location header.
        abort(501, description="POST /api/orders is not written yet")

    @app.get("/api/sagas/<saga_id>")
    def get_saga(saga_id):
        # TODO: the saga from the database, or 404.
        abort(501, description="GET /api/sagas/<id> is not written yet")

    with app.app_context():
        db.create_all()
        seed()
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
