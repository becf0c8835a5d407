"""Products API: the internal model is a dataclass; each version schema subclasses a base whose
post_load/pre_dump call the version's to_model/from_model; MethodView per version."""

from dataclasses import dataclass
from typing import Optional

from flask import Flask, jsonify, request
from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, post_load, pre_dump, validate


@dataclass
class Product:
    name: str
    price_cents: int
    currency: str
    id: Optional[int] = None


class VersionSchema(Schema):
    id = fields.Integer(dump_only=True)

    @post_load
    def _load(self, data, **kwargs):
        return self.to_model(data)

    @pre_dump
    def _dump(self, product, **kwargs):
        return self.from_model(product)


def cents_only(value):
    if round(value, 2) != value:
        raise ValidationError("At most 2 decimal places.")


class ProductV1(VersionSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    price = fields.Float(required=True, validate=[validate.Range(min=0.01, max=1_000_000), cents_only])

    def to_model(self, data):
        return Product(data["name"], round(data["price"] * 100), "USD")

    def from_model(self, p):
        return {"id": p.id, "name": p.name, "price": p.price_cents / 100 if p.currency == "USD" else None}


class Price(Schema):
    amount = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100_000_000))
    currency = fields.String(required=True, validate=validate.OneOf(("USD", "EUR", "GBP")))


class ProductV2(VersionSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=100))
    price = fields.Nested(Price, required=True)

    def to_model(self, data):
        return Product(data["title"], data["price"]["amount"], data["price"]["currency"])

    def from_model(self, p):
        return {"id": p.id, "title": p.name, "price": {"amount": p.price_cents, "currency": p.currency}}


def register(app, version, schema, store):
    class Collection(MethodView):
        def get(self):
            return jsonify(schema.dump(store, many=True))

        def post(self):
            product = schema.load(request.get_json(silent=True))
            product.id = len(store) + 1
            store.append(product)
            return jsonify(schema.dump(product)), 201

    class Item(MethodView):
        def get(self, product_id):
            found = next((p for p in store if p.id == product_id), None)
            if found is None:
                return jsonify(error="not found"), 404
            return jsonify(schema.dump(found))

    app.add_url_rule(f"/api/{version}/products", view_func=Collection.as_view(f"{version}_products"))
    app.add_url_rule(f"/api/{version}/products/<int:product_id>", view_func=Item.as_view(f"{version}_product"))


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})
    store = []
    register(app, "v1", ProductV1(), store)
    register(app, "v2", ProductV2(), store)

    @app.errorhandler(ValidationError)
    def invalid(err):
        return jsonify(errors=err.messages), 400

    @app.after_request
    def deprecation(response):
        if request.path.startswith("/api/v1/"):
            response.headers.update({"Deprecation": "@1767225600",
                                     "Link": '</api/v2/products>; rel="successor-version"'})
        return response

    return app
