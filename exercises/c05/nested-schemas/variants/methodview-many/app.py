"""Orders API: MethodView on a blueprint, Nested(many=True) and try/except in the view."""

from flask import Blueprint, Flask, abort, jsonify, request
from flask.views import MethodView
from marshmallow import RAISE, Schema, ValidationError, fields, validate


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE  # explicit: the default, inherited by every schema below


class CustomerSchema(StrictSchema):
    name = fields.Str(required=True, validate=validate.Length(min=1, max=100))
    email = fields.Email(required=True)


class AddressSchema(StrictSchema):
    street = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    city = fields.Str(required=True, validate=validate.Length(min=1, max=100))
    postcode = fields.Str(required=True, validate=validate.Regexp(r"^\d{5}\Z", error="Must be 5 digits."))


class ItemSchema(StrictSchema):
    sku = fields.Str(required=True, validate=validate.Length(min=1, max=32))
    quantity = fields.Int(required=True, strict=True, validate=[validate.Range(min=1), validate.Range(max=99)])


class OrderSchema(StrictSchema):
    id = fields.Int(dump_only=True)
    customer = fields.Nested(CustomerSchema, required=True)
    shipping = fields.Nested(AddressSchema, required=True)
    # many=True on the field: a list of ItemSchema objects, errors keyed by index.
    items = fields.Nested(ItemSchema, many=True, required=True, validate=validate.Length(min=1, max=20))


bp = Blueprint("orders", __name__, url_prefix="/api/orders")
ORDERS = {}


class OrderList(MethodView):
    schema = OrderSchema()

    def post(self):
        try:
            order = self.schema.load(request.get_json(silent=True))
        except ValidationError as err:
            return jsonify({"errors": err.messages}), 400
        order["id"] = len(ORDERS) + 1
        ORDERS[order["id"]] = order
        return jsonify(self.schema.dump(order)), 201


class OrderItem(MethodView):
    schema = OrderSchema()

    def get(self, order_id):
        if order_id not in ORDERS:
            abort(404)
        return jsonify(self.schema.dump(ORDERS[order_id]))


bp.add_url_rule("", view_func=OrderList.as_view("list"))
bp.add_url_rule("/<int:order_id>", view_func=OrderItem.as_view("item"))


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})
    ORDERS.clear()
    app.register_blueprint(bp)
    return app
