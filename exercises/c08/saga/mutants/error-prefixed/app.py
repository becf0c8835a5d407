"""Orders through a saga: reserve stock, charge the payment, schedule the shipping; compensate on failure."""
import os

from flask import Flask, abort, request, url_for
from werkzeug.exceptions import HTTPException

import saga as sagas
from models import db, seed


def validated(data):
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

    def answer(saga):
        status = 201 if saga.status == "completed" else 422
        return saga.to_dict(), status, {"Location": url_for("get_saga", saga_id=saga.id)}

    @app.post("/api/orders")
    def create_order():
        key = request.headers.get("Idempotency-Key")
        if key:
            existing = db.session.execute(db.select(sagas.Saga).filter_by(idempotency_key=key)).scalar_one_or_none()
            if existing is not None:
                return answer(existing)  # the first answer again; nothing runs twice
        order = validated(request.get_json(silent=True))
        return answer(sagas.start(order, idempotency_key=key))

    @app.get("/api/sagas/<saga_id>")
    def get_saga(saga_id):
        saga = db.session.get(sagas.Saga, saga_id)
        if saga is None:
            abort(404, description="no such saga")
        return saga.to_dict()

    with app.app_context():
        db.create_all()
        seed()
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
