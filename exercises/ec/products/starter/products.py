"""The catalogue: anyone may browse, only administrators add products."""

from flask import Blueprint, abort  # noqa: F401  (you will need them)

from auth import admin_required, json_body  # noqa: F401
from models import db  # noqa: F401

bp = Blueprint("products", __name__, url_prefix="/api/products")

# TODO: GET  /api/products       -> 200 {"products": [...]}, by id
# TODO: GET  /api/products/<id>  -> 200 the product; 404 {"error": ...} when there is none
# TODO: POST /api/products       -> 201 the new product (administrators only: @admin_required);
#                                   400 {"error": ...} on invalid data; prices in integer cents
