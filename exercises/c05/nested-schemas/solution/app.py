"""An orders API that validates nested JSON with marshmallow schemas (marshmallow 3 and 4)."""

from flask import Flask, jsonify, request
from marshmallow import Schema, ValidationError, fields, validate


class CustomerSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    email = fields.Email(required=True)


class AddressSchema(Schema):
    street = fields.String(required=True, validate=validate.Length(min=1, max=200))
    city = fields.String(required=True, validate=validate.Length(min=1, max=100))
    postcode = fields.String(required=True, validate=validate.Regexp(r"^[0-9]{5}$", error="Must be 5 digits."))


class ItemSchema(Schema):
    sku = fields.String(required=True, validate=validate.Length(min=1, max=32))
    quantity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=99))


class OrderSchema(Schema):
    # Unknown keys raise at every level: RAISE is marshmallow's default, for nested schemas too.
    id = fields.Integer(dump_only=True)
    customer = fields.Nested(CustomerSchema, required=True)
    shipping = fields.Nested(AddressSchema, required=True)
    items = fields.List(fields.Nested(ItemSchema), required=True, validate=validate.Length(min=1, max=20))


order_schema = OrderSchema()


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.from_mapping(test_config)
    orders = {}

    @app.errorhandler(ValidationError)
    def validation_failed(error):
        # error.messages mirrors the input: one list of messages per bad field, nested per object/index.
        return jsonify(errors=error.messages), 400

    @app.post("/api/orders")
    def create_order():
        data = order_schema.load(request.get_json(silent=True))
        data["id"] = len(orders) + 1
        orders[data["id"]] = data
        return order_schema.dump(data), 201

    @app.get("/api/orders/<int:order_id>")
    def get_order(order_id):
        order = orders.get(order_id)
        if order is None:
            return jsonify(error=f"order {order_id} not found"), 404
        return order_schema.dump(order)

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
