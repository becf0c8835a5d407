"""Order states as a transition table: (status, action) -> new status. One route per action
name, the table decides who may do what."""

from flask import Blueprint

from auth import current_user, login_required
from models import Order, db

bp = Blueprint("orders", __name__, url_prefix="/api/orders")

TRANSITIONS = {
    ("pending", "pay"): "paid",
    ("pending", "fail"): "cancelled",
    ("pending", "cancel"): "cancelled",
    ("paid", "ship"): "shipped",
}


class IllegalTransition(Exception):
    pass


def move(order, action):
    """Apply an action to an order (not committed), or raise IllegalTransition."""
    target = TRANSITIONS.get((order.status, action))
    if target is None:
        raise IllegalTransition(f"cannot {action} an order that is {order.status}")
    order.status = target
    return target


@bp.errorhandler(IllegalTransition)
def illegal(error):
    return {"error": str(error)}, 409


@bp.post("/<int:order_id>/<any(cancel, ship):action>")
@login_required
def act(order_id, action):
    user = current_user()
    order = db.session.get(Order, order_id)
    if action == "ship" and not user.is_admin:
        return {"error": "administrators only"}, 403
    if order is None or (action == "cancel" and order.user_id != user.id):
        return {"error": "order not found"}, 404
    move(order, action)
    db.session.commit()
    return order.to_dict()
