"""The orders API: a blueprint of MethodView classes over the OrderSaga orchestrator."""
from flask import Blueprint, abort, request, url_for
from flask.views import MethodView

from saga import OrderSaga

bp = Blueprint("orders", __name__, url_prefix="/api")


def validated(data):
    if not isinstance(data, dict):
        abort(400, description="send a JSON object")
    sku = data.get("sku")
    if not isinstance(sku, str) or not sku.strip():
        abort(400, description="sku must be a non-blank string")
    clean = {"sku": sku.strip()}
    for key in ("quantity", "amount_cents"):
        value = data.get(key)
        if type(value) is not int or value < 1:
            abort(400, description=f"{key} must be a whole number of 1 or more")
        clean[key] = value
    return clean


def answer(saga):
    return saga.as_json(), saga.http_status, {"Location": url_for("orders.saga", saga_id=saga.record.id)}


class OrderList(MethodView):
    def post(self):
        key = request.headers.get("Idempotency-Key") or None
        earlier = OrderSaga.by_key(key)
        if earlier is not None:
            return answer(earlier)
        order = validated(request.get_json(silent=True))
        return answer(OrderSaga.begin(order, key).execute())


class SagaDetail(MethodView):
    def get(self, saga_id):
        saga = OrderSaga.find(saga_id)
        if saga is None:
            abort(404, description=f"no saga {saga_id}")
        return saga.as_json()


bp.add_url_rule("/orders", view_func=OrderList.as_view("orders"))
bp.add_url_rule("/sagas/<saga_id>", view_func=SagaDetail.as_view("saga"))
