from flask import Blueprint, jsonify, request
from flask.views import MethodView

from bus import EventBus, bus

api = Blueprint("events_api", __name__, url_prefix="/api")


@api.app_errorhandler(ConnectionError)
def broker_unavailable(error):
    return jsonify(error=f"message broker unavailable: {error}"), 503


class EventsView(MethodView):
    def post(self):
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            return {"error": "the body must be a JSON object"}, 400
        event_type = payload.get("type")
        data = payload.get("data", {})
        if not (isinstance(event_type, str) and EventBus.TYPE.fullmatch(event_type)):
            return {"error": "type: dot-separated lower-case words expected"}, 400
        if not isinstance(data, dict):
            return {"error": "data: an object expected"}, 400
        return bus.publish(event_type, data), 202


class SubscriberView(MethodView):
    def _missing(self, name):
        return None if name in bus.subscribers else ({"error": f"unknown subscriber {name}"}, 404)

    def get(self, name):
        return self._missing(name) or {"subscriber": name, "events": bus.handled(name)}

    def post(self, name):
        return self._missing(name) or bus.consume(name)


api.add_url_rule("/events", view_func=EventsView.as_view("events"))
api.add_url_rule("/subscribers/<name>/events", view_func=SubscriberView.as_view("handled"), methods=["GET"])
api.add_url_rule("/subscribers/<name>/consume", view_func=SubscriberView.as_view("consume"), methods=["POST"])
