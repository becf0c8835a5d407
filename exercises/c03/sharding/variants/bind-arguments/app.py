"""Sharded orders with one db.session: every statement names its shard with bind_arguments."""
import os

from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import insert, select
from werkzeug.exceptions import HTTPException

SHARD_COUNT = 3
db = SQLAlchemy()


class Order(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    customer_id = db.Column(db.Integer, nullable=False, index=True)
    item = db.Column(db.String(200), nullable=False)
    amount_cents = db.Column(db.Integer, nullable=False)

    def to_dict(self):
        return {"id": self.id, "customer_id": self.customer_id, "item": self.item, "amount_cents": self.amount_cents}


def on_shard(number):
    return {"bind": db.engines[f"shard{number}"]}


def on_customers_shard(customer_id):
    return on_shard(customer_id % SHARD_COUNT)


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SQLALCHEMY_BINDS={
            f"shard{n}": "sqlite:///" + os.path.join(app.instance_path, f"shard{n}.db") for n in range(SHARD_COUNT)
        },
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    @app.post("/api/customers/<int:customer_id>/orders")
    def create_order(customer_id):
        data = request.get_json(silent=True)
        data = data if isinstance(data, dict) else {}
        item, amount = data.get("item"), data.get("amount_cents")
        if not isinstance(item, str) or not item.strip():
            abort(400, description="item must be a non-blank string")
        if type(amount) is not int or amount < 0:
            abort(400, description="amount_cents must be an integer of at least 0")
        values = {"customer_id": customer_id, "item": item.strip(), "amount_cents": amount}
        result = db.session.execute(insert(Order.__table__).values(**values), bind_arguments=on_customers_shard(customer_id))
        db.session.commit()
        return {"id": result.inserted_primary_key[0], **values}, 201

    @app.get("/api/customers/<int:customer_id>/orders")
    def customer_orders(customer_id):
        stmt = select(Order).where(Order.customer_id == customer_id).order_by(Order.id)
        orders = db.session.execute(stmt, bind_arguments=on_customers_shard(customer_id)).scalars()
        return {"items": [o.to_dict() for o in orders]}

    @app.get("/api/customers/<int:customer_id>/orders/<int:order_id>")
    def customer_order(customer_id, order_id):
        stmt = select(Order).where(Order.id == order_id, Order.customer_id == customer_id)
        order = db.session.execute(stmt, bind_arguments=on_customers_shard(customer_id)).scalar_one_or_none()
        if order is None:
            abort(404, description=f"customer {customer_id} has no order {order_id}")
        return order.to_dict()

    @app.get("/api/orders")
    def all_orders():
        raw = request.args.get("limit", "20")
        limit = int(raw) if raw.isascii() and raw.isdigit() else 0
        if not 1 <= limit <= 100:
            abort(400, description="limit must be an integer from 1 to 100")
        rows = []
        for n in range(SHARD_COUNT):
            # the shard's top `limit` by the full sort key, so ties are cut the same way as globally
            stmt = select(Order).order_by(Order.amount_cents.desc(), Order.customer_id, Order.id).limit(limit)
            rows += [o.to_dict() for o in db.session.execute(stmt, bind_arguments=on_shard(n)).scalars()]
        rows.sort(key=lambda o: (-o["amount_cents"], o["customer_id"], o["id"]))
        return {"items": rows[:limit]}

    with app.app_context():
        for n in range(SHARD_COUNT):
            db.metadata.create_all(db.engines[f"shard{n}"])
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
