"""Products API: one set of routes /api/<any(v1, v2):version>/products, a registry of schemas per version,
v1's wire name "name" mapped with data_key, headers from an app-level after_request."""

from flask import Flask, jsonify, request
from marshmallow import Schema, ValidationError, fields, post_load, pre_dump, validate, validates


class V1(Schema):
    id = fields.Int(dump_only=True)
    title = fields.Str(data_key="name", required=True, validate=validate.Length(1, 100))
    price = fields.Float(required=True, validate=validate.Range(0.01, 1_000_000))

    @validates("price")
    def at_most_cents(self, value, **kwargs):  # **kwargs: marshmallow 4 passes data_key
        if abs(value * 100 - round(value * 100)) > 1e-6:
            raise ValidationError("At most 2 decimal places.")

    @post_load
    def model(self, data, **kwargs):
        return {"name": data["title"], "price_cents": round(data["price"] * 100), "currency": "USD"}

    @pre_dump
    def wire(self, p, **kwargs):
        return {"id": p["id"], "title": p["name"],
                "price": p["price_cents"] / 100 if p["currency"] == "USD" else None}


class Money(Schema):
    amount = fields.Int(required=True, strict=True, validate=validate.Range(1, 100_000_000))
    currency = fields.Str(required=True, validate=validate.OneOf(["USD", "EUR", "GBP"]))


class V2(Schema):
    id = fields.Int(dump_only=True)
    title = fields.Str(required=True, validate=validate.Length(1, 100))
    price = fields.Nested(Money, required=True)

    @post_load
    def model(self, data, **kwargs):
        return {"name": data["title"], "price_cents": data["price"]["amount"], "currency": data["price"]["currency"]}

    @pre_dump
    def wire(self, p, **kwargs):
        return {"id": p["id"], "title": p["name"], "price": {"amount": p["price_cents"], "currency": p["currency"]}}


SCHEMAS = {"v1": V1(), "v2": V2()}


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})
    products = []

    @app.after_request
    def deprecate_v1(response):
        if request.path.startswith("/api/v1/"):
            response.headers["Deprecation"] = "@1767225600"
            response.headers["Link"] = '</api/v2/products>; rel="successor-version"'
        return response

    @app.route("/api/<any(v1, v2):version>/products", methods=["GET", "POST"])
    def collection(version):
        schema = SCHEMAS[version]
        if request.method == "GET":
            return jsonify(schema.dump(products, many=True))
        try:
            product = schema.load(request.get_json(silent=True))
        except ValidationError as err:
            return jsonify(errors=err.messages), 400
        product["id"] = len(products) + 1
        products.append(product)
        return jsonify(schema.dump(product)), 201

    @app.get("/api/<any(v1, v2):version>/products/<int:product_id>")
    def item(version, product_id):
        if not 1 <= product_id <= len(products):
            return jsonify(error="not found"), 404
        return jsonify(SCHEMAS[version].dump(products[product_id - 1]))

    return app
