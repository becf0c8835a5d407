"""Orders sharded by customer across three SQLite databases (Flask-SQLAlchemy binds)."""
import heapq
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


def shard_name(customer_id):
    """The shard key is the customer: all of a customer's orders live together on one shard."""
    return f"shard{customer_id % SHARD_COUNT}"


def shard_session(customer_id):
    """A session on the customer's shard only."""
    return Session(db.engines[shard_name(customer_id)], expire_on_commit=False)


def order_data(data):
    if not isinstance(data, dict):
        abort(400, description="send a JSON object")
    item, amount = data.get("item"), data.get("amount_cents")
    if not isinstance(item, str) or not item.strip():
        abort(400, description="item must be a non-blank string")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        abort(400, description="amount_cents must be an integer of at least 0")
    return item.strip(), amount


def sort_key(order):
    return (-order["amount_cents"], order["customer_id"], order["id"])


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
        try:
            limit = int(request.args.get("limit", "20"))
        except ValueError:
            limit = 0
        if not 1 <= limit <= 100:
            abort(400, description="limit must be an integer from 1 to 100")
        # Scatter: the top `limit` of every shard, already sorted by the database...
        stmt = (db.select(Order)
                .order_by(Order.amount_cents.desc(), Order.customer_id, Order.id)
                .limit(limit))
        per_shard = []
        for n in range(SHARD_COUNT):
            with Session(db.engines[f"shard{n}"]) as session:
                per_shard.append([o.to_dict() for o in session.scalars(stmt)])
        # ...gather: merge the sorted lists and keep the global top `limit`.
        merged = heapq.merge(*per_shard, key=sort_key)
        return {"items": list(merged)[:limit]}

    with app.app_context():
        for n in range(SHARD_COUNT):  # the same schema on every shard
            db.metadata.create_all(db.engines[f"shard{n}"])
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
