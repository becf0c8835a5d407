"""A products API with only v2. Add v1 (deprecated) on the same store with its own schema."""

from flask import Blueprint, Flask, current_app, jsonify, request
from marshmallow import Schema, ValidationError, fields, post_load, pre_dump, validate

CURRENCIES = ("USD", "EUR", "GBP")


class ProductV1Schema(Schema):
    """v1 (deprecated): a name and a price in US dollars as a JSON number."""

    id = fields.Integer(dump_only=True)
    # TODO: name, price (0.01 to 1,000,000, at most 2 decimal places)
    # TODO: a post_load that makes the internal model, a pre_dump that makes the v1 shape


class MoneySchema(Schema):
    amount = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100_000_000))
    currency = fields.String(required=True, validate=validate.OneOf(CURRENCIES))


class ProductV2Schema(Schema):
    """v2: a title and a price as integer minor units with a currency."""

    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=100))
    price = fields.Nested(MoneySchema, required=True)

    @post_load
    def to_model(self, data, **kwargs):
        return {"name": data["title"], "price_cents": data["price"]["amount"], "currency": data["price"]["currency"]}

    @pre_dump
    def from_model(self, product, **kwargs):
        return {"id": product["id"], "title": product["name"],
                "price": {"amount": product["price_cents"], "currency": product["currency"]}}


def products_blueprint(version, schema):
    bp = Blueprint(version, __name__, url_prefix=f"/api/{version}/products")

    @bp.post("")
    def create():
        store = current_app.extensions["products"]
        product = schema.load(request.get_json(silent=True))
        product["id"] = len(store) + 1
        store[product["id"]] = product
        return schema.dump(product), 201

    @bp.get("")
    def index():
        return jsonify(schema.dump(current_app.extensions["products"].values(), many=True))

    @bp.get("/<int:product_id>")
    def show(product_id):
        product = current_app.extensions["products"].get(product_id)
        if product is None:
            return jsonify(error=f"product {product_id} not found"), 404
        return schema.dump(product)

    return bp


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["products"] = {}  # id -> {"id", "name", "price_cents", "currency"}

    @app.errorhandler(ValidationError)
    def validation_failed(error):
        return jsonify(errors=error.messages), 400

    # TODO: register v1 with products_blueprint("v1", ProductV1Schema()) and its deprecation headers
    app.register_blueprint(products_blueprint("v2", ProductV2Schema()))
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
