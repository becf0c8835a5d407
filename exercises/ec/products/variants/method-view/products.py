"""The catalogue as class-based views: one MethodView for the collection, one for an item."""

from flask import Blueprint, request
from flask.views import MethodView

from auth import admin_required
from models import Product, db

bp = Blueprint("products", __name__, url_prefix="/api/products")

RULES = {
    # field: (required, lowest, highest, default)
    "price_cents": (True, 0, 100_000_000, None),
    "stock": (False, 0, 1_000_000, 0),
}


def clean(data):
    if not isinstance(data, dict):
        raise ValueError("Send a JSON object")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 100:
        raise ValueError("name must be 1 to 100 characters")
    fields = {"name": name.strip()}
    for field, (required, lowest, highest, default) in RULES.items():
        if field not in data and not required:
            fields[field] = default
            continue
        value = data.get(field)
        if type(value) is not int or not lowest <= value <= highest:  # bool and float are not int
            raise ValueError(f"{field} must be an integer from {lowest} to {highest}")
        fields[field] = value
    return fields


class ProductList(MethodView):
    def get(self):
        return {"products": [p.to_dict() for p in db.session.scalars(db.select(Product).order_by(Product.id))]}

    @admin_required
    def post(self):
        try:
            fields = clean(request.get_json(silent=True))
        except ValueError as e:
            return {"error": str(e)}, 400
        product = Product(**fields)
        db.session.add(product)
        db.session.commit()
        return product.to_dict(), 201


class ProductItem(MethodView):
    def get(self, product_id):
        return db.get_or_404(Product, product_id, description="No such product").to_dict()


bp.add_url_rule("", view_func=ProductList.as_view("products"))
bp.add_url_rule("/<int:product_id>", view_func=ProductItem.as_view("product"))
