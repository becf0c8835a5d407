"""The catalogue: anyone may browse, only administrators add products."""

from flask import Blueprint, abort, url_for

from auth import admin_required, json_body
from models import Product, db

bp = Blueprint("products", __name__, url_prefix="/api/products")

MAX_NAME_LENGTH = 100
MAX_PRICE_CENTS = 100_000_000  # 1 000 000.00: a typo guard
MAX_STOCK = 1_000_000


def is_count(value):
    """A JSON integer: not a float (19.99 or 1999.0), not a string, not a boolean."""
    return isinstance(value, int) and not isinstance(value, bool)


def validate_product(data):
    """The cleaned fields, or an error message."""
    name = data.get("name")
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= MAX_NAME_LENGTH:
        return None, f"name: a string of 1 to {MAX_NAME_LENGTH} characters"
    price = data.get("price_cents")
    if not is_count(price) or not 0 <= price <= MAX_PRICE_CENTS:
        return None, f"price_cents: an integer number of cents from 0 to {MAX_PRICE_CENTS} (19.99 is 1999)"
    stock = data.get("stock", 0)
    if not is_count(stock) or not 0 <= stock <= MAX_STOCK:
        return None, f"stock: an integer from 0 to {MAX_STOCK}"
    return {"name": name.strip(), "price_cents": price, "stock": stock}, None


@bp.get("")
def list_products():
    products = db.session.execute(db.select(Product).order_by(Product.id)).scalars()
    return {"products": [product.to_dict() for product in products]}


@bp.get("/<int:product_id>")
def get_product(product_id):
    product = db.session.get(Product, product_id)
    if product is None:
        abort(404, description="No such product")
    return product.to_dict()


@bp.post("")
@admin_required
def create_product():
    data = json_body()
    if data is None:
        return {"error": "The request body must be a JSON object"}, 400
    fields, error = validate_product(data)
    if error:
        return {"error": error}, 400
    product = Product(**fields)
    db.session.add(product)
    db.session.commit()
    return product.to_dict(), 201, {"Location": url_for("products.get_product", product_id=product.id)}
