"""One product store, two API versions: each version is a marshmallow schema that translates
between its wire format and the internal model (post_load in, pre_dump out)."""

from flask import Blueprint, Flask, current_app, jsonify, request
from marshmallow import Schema, ValidationError, fields, post_load, pre_dump, validate

CURRENCIES = ("USD", "EUR", "GBP")
V1_DEPRECATED = "@1767225600"  # RFC 9745: 2026-01-01T00:00:00Z as a Unix timestamp
V1_SUCCESSOR = '</api/v2/products>; rel="successor-version"'


def two_decimals(value):
    if round(value, 2) != value:
        raise ValidationError("At most 2 decimal places.")


class ProductV1Schema(Schema):
    """v1 (deprecated): a name and a price in US dollars as a JSON number."""

    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    price = fields.Float(required=True, allow_none=False,
                         validate=[validate.Range(min=0.01, max=1_000_000), two_decimals])

    @post_load
    def to_model(self, data, **kwargs):
        return {"name": data["name"], "price_cents": round(data["price"] * 100), "currency": "USD"}

    @pre_dump
    def from_model(self, product, **kwargs):
        usd = product["currency"] == "USD"
        # v1 cannot say which currency: a non-USD price is not shown as if it were dollars.
        return {"id": product["id"], "name": product["name"],
                "price": product["price_cents"] / 100}


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

    v1 = products_blueprint("v1", ProductV1Schema())

    @v1.after_request
    def deprecation_headers(response):
        # after_request runs for every v1 answer, errors included.
        response.headers["Deprecation"] = V1_DEPRECATED
        response.headers["Link"] = V1_SUCCESSOR
        return response

    app.register_blueprint(v1)
    app.register_blueprint(products_blueprint("v2", ProductV2Schema()))
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
