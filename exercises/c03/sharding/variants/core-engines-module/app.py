"""Sharded orders without Flask-SQLAlchemy: a module-level app, a blueprint, and one SQLAlchemy Core
engine per shard made from the app's SQLALCHEMY_BINDS."""
import os

from flask import Blueprint, Flask, abort, current_app, jsonify, request
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select

SHARDS = ["shard0", "shard1", "shard2"]
metadata = MetaData()
orders = Table(
    "order", metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, nullable=False, index=True),
    Column("item", String(200), nullable=False),
    Column("amount_cents", Integer, nullable=False),
)
api = Blueprint("orders", __name__, url_prefix="/api")


def engine(name):
    return current_app.extensions["shards"][name]


def home(customer_id):
    """The engine of the customer's shard: the shard key decides, nothing else."""
    return engine(SHARDS[customer_id % len(SHARDS)])


def error(status, message):
    response = jsonify(error=message)
    response.status_code = status
    abort(response)


@api.post("/customers/<int:customer_id>/orders")
def create_order(customer_id):
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        error(400, "send a JSON object")
    item, amount = data.get("item"), data.get("amount_cents")
    if not isinstance(item, str) or not item.strip():
        error(400, "item must be a non-blank string")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        error(400, "amount_cents must be an integer of at least 0")
    values = {"customer_id": customer_id, "item": item.strip(), "amount_cents": amount}
    with home(customer_id).begin() as conn:
        new_id = conn.execute(orders.insert().values(**values)).inserted_primary_key[0]
    return {"id": new_id, **values}, 201


@api.get("/customers/<int:customer_id>/orders")
def customer_orders(customer_id):
    stmt = select(orders).where(orders.c.customer_id == customer_id).order_by(orders.c.id)
    with home(customer_id).connect() as conn:
        return {"items": [dict(row) for row in conn.execute(stmt).mappings()]}


@api.get("/customers/<int:customer_id>/orders/<int:order_id>")
def customer_order(customer_id, order_id):
    stmt = select(orders).where(orders.c.id == order_id, orders.c.customer_id == customer_id)
    with home(customer_id).connect() as conn:
        row = conn.execute(stmt).mappings().first()
    if row is None:
        error(404, f"customer {customer_id} has no order {order_id}")
    return dict(row)


@api.get("/orders")
def all_orders():
    try:
        limit = int(request.args.get("limit", "20"))
    except ValueError:
        error(400, "limit must be an integer")
    if not 1 <= limit <= 100:
        error(400, "limit must be from 1 to 100")
    stmt = select(orders).order_by(orders.c.amount_cents.desc(), orders.c.customer_id, orders.c.id).limit(limit)
    gathered = []
    for name in SHARDS:
        with engine(name).connect() as conn:
            gathered.extend(dict(row) for row in conn.execute(stmt).mappings())
    gathered.sort(key=lambda o: (-o["amount_cents"], o["customer_id"], o["id"]))
    return {"items": gathered[:limit]}


app = Flask(__name__, instance_relative_config=True)
os.makedirs(app.instance_path, exist_ok=True)
app.config["SQLALCHEMY_BINDS"] = {
    name: "sqlite:///" + os.path.join(app.instance_path, f"{name}.db") for name in SHARDS
}
app.extensions["shards"] = {name: create_engine(url) for name, url in app.config["SQLALCHEMY_BINDS"].items()}
for shard in app.extensions["shards"].values():
    metadata.create_all(shard)
app.register_blueprint(api)


@app.errorhandler(404)
def not_found(error_):
    return {"error": "not found"}, 404
