"""A products API. Audit every change with SQLAlchemy events (see the brief)."""
import os
from datetime import datetime, timezone

from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()


class Product(db.Model):
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
    action = db.Column(db.String(10), nullable=False)  # insert, update, delete
    old = db.Column(db.JSON)
    new = db.Column(db.JSON)
    changed_at = db.Column(db.DateTime, nullable=False, default=lambda: datetime.now(timezone.utc))

    def to_dict(self):
        return {"id": self.id, "table": self.table, "row_id": self.row_id, "action": self.action,
                "old": self.old, "new": self.new, "changed_at": self.changed_at.isoformat()}


# TODO: after_insert, after_update and after_delete listeners on Product that write AuditLog rows.


def validated(data, partial):
    if not isinstance(data, dict):
        abort(400, description="send a JSON object")
    clean = {}
    if "name" in data or not partial:
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            abort(400, description="name must be a non-blank string")
        clean["name"] = name.strip()
    if "price" in data or not partial:
        price = data.get("price")
        if not isinstance(price, int) or isinstance(price, bool) or price < 0:
            abort(400, description="price must be an integer, 0 or more")
        clean["price"] = price
    return clean


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "shop.db"),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    @app.post("/api/products")
    def create_product():
        product = Product(**validated(request.get_json(silent=True), partial=False))
        db.session.add(product)
        db.session.commit()
        return product.to_dict(), 201

    @app.patch("/api/products/<int:product_id>")
    def update_product(product_id):
        product = db.get_or_404(Product, product_id)
        for key, value in validated(request.get_json(silent=True), partial=True).items():
            setattr(product, key, value)
        db.session.commit()
        return product.to_dict()

    @app.delete("/api/products/<int:product_id>")
    def delete_product(product_id):
        db.session.delete(db.get_or_404(Product, product_id))
        db.session.commit()
        return "", 204

    @app.get("/api/audit")
    def list_audit():
        stmt = db.select(AuditLog).order_by(AuditLog.id)
        row_id = request.args.get("row_id", type=int)
        if row_id is not None:
            stmt = stmt.filter_by(row_id=row_id)
        return {"items": [entry.to_dict() for entry in db.session.execute(stmt).scalars()]}

    with app.app_context():
        db.create_all()
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
