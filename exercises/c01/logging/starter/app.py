"""An orders API that logs plain text. Make its logs structured JSON with request ids."""

from flask import Flask, current_app, jsonify


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.from_mapping(test_config)
    orders = {7: {"id": 7, "item": "keyboard", "quantity": 1}}

    # TODO: configure logging (JSON lines, request ids) and the X-Request-ID header

    @app.get("/api/orders/<int:order_id>")
    def get_order(order_id):
        current_app.logger.info("order fetched", extra={"order_id": order_id})
        order = orders.get(order_id)
        if order is None:
            return jsonify(error="order not found"), 404
        return jsonify(order)

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
