import os

from flask import Blueprint, Flask, abort, request, session
from flask.views import MethodView

bp = Blueprint("cart", __name__, url_prefix="/cart")


def cart():
    return session.setdefault("cart", {})


def as_json():
    c = cart()
    return {"items": [{"product_id": int(k), "quantity": v} for k, v in c.items()], "count": sum(c.values())}


def number(data, key):
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        abort(400, description="%s must be a whole number >= 1" % key)
    return value


class CartView(MethodView):
    def get(self):
        return as_json()


class ItemsView(MethodView):
    def post(self):
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            abort(400, description="JSON object expected")
        pid, qty = number(data, "product_id"), number(data, "quantity")
        c = cart()
        c[str(pid)] = c.get(str(pid), 0) + qty
        session.modified = True
        return as_json(), 201


class ItemView(MethodView):
    def delete(self, product_id):
        c = cart()
        if str(product_id) not in c:
            abort(404, description="no such product in the cart")
        del c[str(product_id)]
        session.modified = True
        return as_json()


bp.add_url_rule("", view_func=CartView.as_view("cart"))
bp.add_url_rule("/items", view_func=ItemsView.as_view("items"))
bp.add_url_rule("/items/<int:product_id>", view_func=ItemView.as_view("item"))


def create_app(test_config=None):
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev")
    app.config.update(test_config or {})
    app.register_blueprint(bp)

    @app.errorhandler(400)
    @app.errorhandler(404)
    def error(e):
        return {"error": e.description}, e.code

    return app
