"""Orders on three SQLite shards. Route every order by its customer (see the brief)."""
import os

from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import Session
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


def shard_session(customer_id):
    # TODO: the customer's shard is shard<customer_id % SHARD_COUNT>; every query uses shard0 for now.
    return Session(db.engines["shard0"], expire_on_commit=False)


def order_data(data):
    if not isinstance(data, dict):
        abort(400, description="send a JSON object")
    item, amount = data.get("item"), data.get("amount_cents")
    if not isinstance(item, str) or not item.strip():
        abort(400, description="item must be a non-blank string")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        abort(400, description="amount_cents must be an integer of at least 0")
    return item.strip(), amount


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
        item, amount = order_data(request.get_json(silent=True))
        with shard_session(customer_id) as session:
            order = Order(customer_id=customer_id, item=item, amount_cents=amount)
            session.add(order)
            session.commit()
            return order.to_dict(), 201

    @app.get("/api/customers/<int:customer_id>/orders")
    def customer_orders(customer_id):
        with shard_session(customer_id) as session:
            stmt = db.select(Order).where(Order.customer_id == customer_id).order_by(Order.id)
            return {"items": [o.to_dict() for o in session.scalars(stmt)]}

    @app.get("/api/customers/<int:customer_id>/orders/<int:order_id>")
    def customer_order(customer_id, order_id):
        with shard_session(customer_id) as session:
            order = session.get(Order, order_id)
            if order is None:
                abort(404, description=f"customer {customer_id} has no order {order_id}")
            return order.to_dict()

    @app.get("/api/orders")
    def all_orders():
        # TODO: every shard, merged and sorted (amount_cents descending, then customer_id, then id),
        # cut to ?limit= (default 20, 1 to 100).
        with Session(db.engines["shard0"]) as session:
            stmt = db.select(Order).order_by(Order.id)
            return {"items": [o.to_dict() for o in session.scalars(stmt)]}

    with app.app_context():
        for n in range(SHARD_COUNT):  # the same schema on every shard
            db.metadata.create_all(db.engines[f"shard{n}"])
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
