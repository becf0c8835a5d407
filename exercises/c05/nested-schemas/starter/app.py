"""An orders API that trusts its input. Validate the nested JSON with marshmallow schemas."""

from flask import Flask, jsonify, request
from marshmallow import Schema, ValidationError, fields, validate  # noqa: F401 (you will need them)


class CustomerSchema(Schema):
    # TODO: name (1-100 characters), email (a valid email address); both required
    pass


class AddressSchema(Schema):
    # TODO: street (1-200), city (1-100), postcode (exactly 5 digits, message "Must be 5 digits.")
    pass


class ItemSchema(Schema):
    # TODO: sku (1-32 characters), quantity (a JSON integer from 1 to 99, not a string)
    pass


class OrderSchema(Schema):
    id = fields.Integer(dump_only=True)
    # TODO: customer and shipping as nested objects, items as a list of 1 to 20 nested items
    customer = fields.Raw()
    shipping = fields.Raw()
    items = fields.Raw()


order_schema = OrderSchema()


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.from_mapping(test_config)
    orders = {}

    # TODO: turn a marshmallow ValidationError into 400 {"errors": error.messages}

    @app.post("/api/orders")
    def create_order():
        data = request.get_json(silent=True) or {}
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
