"""Module-level app; any model with the Audited mixin is audited (propagating mapper events)."""
import os
from datetime import datetime, timezone

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, inspect

app = Flask(__name__, instance_relative_config=True)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "shop.db")
os.makedirs(app.instance_path, exist_ok=True)
db = SQLAlchemy(app)


class Audited:
    """Mixin: every insert, update and delete of a subclass gets an audit_log row."""


class Product(Audited, db.Model):
    __tablename__ = "product"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100), nullable=False)
    price = db.Column(db.Integer, nullable=False)

    def to_dict(self):
        return {"id": self.id, "name": self.name, "price": self.price}


class AuditLog(db.Model):
    __tablename__ = "audit_log"
    id = db.Column(db.Integer, primary_key=True)
    table = db.Column(db.String(50), nullable=False)
    row_id = db.Column(db.Integer, nullable=False, index=True)
    action = db.Column(db.String(10), nullable=False)
    old = db.Column(db.JSON)
    new = db.Column(db.JSON)
    changed_at = db.Column(db.DateTime, nullable=False)


def _log(connection, action, target, old, new):
    connection.execute(AuditLog.__table__.insert().values(
        table=target.__table__.name, row_id=target.id, action=action, old=old, new=new,
        changed_at=datetime.now(timezone.utc),
    ))


def _snapshot(target):
    return {c.key: getattr(target, c.key) for c in inspect(target).mapper.column_attrs}


def _on_insert(mapper, connection, target):
    _log(connection, "insert", target, None, _snapshot(target))


def _on_update(mapper, connection, target):
    state = inspect(target)
    changed = {c.key: state.attrs[c.key].history for c in mapper.column_attrs
               if state.attrs[c.key].history.has_changes()}
    if changed:
        _log(connection, "update", target,
             {k: (h.deleted or [None])[0] for k, h in changed.items()},
             {k: (h.added or [None])[0] for k, h in changed.items()})


def _on_delete(mapper, connection, target):
    _log(connection, "delete", target, _snapshot(target), None)


for _name, _fn in (("after_insert", _on_insert), ("after_update", _on_update), ("after_delete", _on_delete)):
    event.listen(Audited, _name, _fn, propagate=True)


def _error(message, status):
    return jsonify(error=message), status


def _check(data, partial):
    if not isinstance(data, dict):
        return None, "send a JSON object"
    out = {}
    if not partial or "name" in data:
        if not isinstance(data.get("name"), str) or not data["name"].strip():
            return None, "name must be a non-blank string"
        out["name"] = data["name"].strip()
    if not partial or "price" in data:
        price = data.get("price")
        if type(price) is not int or price < 0:
            return None, "price must be an integer, 0 or more"
        out["price"] = price
    return out, None


@app.post("/api/products")
def create_product():
    values, problem = _check(request.get_json(silent=True), partial=False)
    if problem:
        return _error(problem, 400)
    product = Product(**values)
    db.session.add(product)
    db.session.commit()
    return jsonify(product.to_dict()), 201


@app.route("/api/products/<int:product_id>", methods=["PATCH", "DELETE"])
def one_product(product_id):
    product = db.session.get(Product, product_id)
    if product is None:
        return _error("product not found", 404)
    if request.method == "DELETE":
        db.session.delete(product)
        db.session.commit()
        return "", 204
    values, problem = _check(request.get_json(silent=True), partial=True)
    if problem:
        return _error(problem, 400)
    for key, value in values.items():
        setattr(product, key, value)
    db.session.commit()
    return jsonify(product.to_dict())


@app.get("/api/audit")
def audit():
    query = AuditLog.query.order_by(AuditLog.id)
    if request.args.get("row_id", type=int) is not None:
        query = query.filter_by(row_id=request.args.get("row_id", type=int))
    return jsonify(items=[
        {"id": e.id, "table": e.table, "row_id": e.row_id, "action": e.action, "old": e.old, "new": e.new,
         "changed_at": e.changed_at.replace(tzinfo=timezone.utc).isoformat()}
        for e in query
    ])


with app.app_context():
    db.create_all()
