"""Thin MethodViews over services.py; CheckoutError becomes the answer in one place."""

from flask import Blueprint, abort, current_app, request
from flask.views import MethodView

import services
from auth import current_user, login_required
from models import Order, db

bp = Blueprint("checkout", __name__, url_prefix="/api")


@bp.errorhandler(services.CheckoutError)
def checkout_error(error):
    return error.body(), error.status


class CheckoutView(MethodView):
    decorators = [login_required]

    def post(self):
        if request.get_data():
            data = request.get_json(silent=True)
            if not isinstance(data, dict) or data.keys() & {"card", "card_number", "cvc"}:
                raise services.CheckoutError(400, "Send a JSON object without any card data")
        order, lines = services.place_order(current_user())
        cfg = current_app.config
        intent = services.request_payment(order, cfg["PAYMENT_PROVIDER_URL"], cfg["PAYMENT_API_KEY"], cfg["PAYMENT_TIMEOUT"])
        services.confirm(order, intent, lines)
        return {"order": order.to_dict(), "client_secret": intent["client_secret"]}, 201


class OrderView(MethodView):
    decorators = [login_required]

    def get(self, order_id):
        order = db.session.scalar(db.select(Order).where(Order.id == order_id, Order.user_id == current_user().id))
        if order is None:
            abort(404, description="No such order")
        return order.to_dict()


bp.add_url_rule("/checkout", view_func=CheckoutView.as_view("checkout"))
bp.add_url_rule("/orders/<int:order_id>", view_func=OrderView.as_view("order"))
