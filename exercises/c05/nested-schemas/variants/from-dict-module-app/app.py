"""Orders API: a module-level app, schemas built with Schema.from_dict, ValidationError handled app-wide."""

from flask import Flask, request
from marshmallow import Schema, ValidationError, fields
from marshmallow.validate import Length, Range, Regexp

Customer = Schema.from_dict({"name": fields.String(required=True, validate=Length(1, 100)),
                             "email": fields.Email(required=True)}, name="Customer")
Address = Schema.from_dict({"street": fields.String(required=True, validate=Length(1, 200)),
                            "city": fields.String(required=True, validate=Length(1, 100)),
                            "postcode": fields.String(required=True,
                                                      validate=Regexp(r"[0-9]{5}\Z", error="Must be 5 digits."))},
                           name="Address")
Item = Schema.from_dict({"sku": fields.String(required=True, validate=Length(1, 32)),
                         "quantity": fields.Integer(required=True, strict=True, validate=Range(1, 99))}, name="Item")
Order = Schema.from_dict({"id": fields.Integer(dump_only=True),
                          "customer": fields.Nested(Customer, required=True),
                          "shipping": fields.Nested(Address, required=True),
                          "items": fields.List(fields.Nested(Item), required=True, validate=Length(1, 20))},
                         name="Order")

app = Flask(__name__)
orders = []


@app.errorhandler(ValidationError)
def bad_request(error):
    return {"errors": error.messages}, 400


@app.route("/api/orders", methods=["POST"])
def create_order():
    order = Order().load(request.get_json(silent=True))
    orders.append(order)
    order["id"] = len(orders)
    return Order().dump(order), 201


@app.route("/api/orders/<int:order_id>")
def get_order(order_id):
    if not 1 <= order_id <= len(orders):
        return {"error": "not found"}, 404
    return Order().dump(orders[order_id - 1])
