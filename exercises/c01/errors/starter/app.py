"""An inventory API whose errors are still Flask's HTML pages. Make every error a JSON problem."""

from flask import Flask, jsonify, request


class OutOfStock(Exception):
    """Raised when a reservation asks for more than is in stock."""

    def __init__(self, item_id, requested, available):
        super().__init__(f"item {item_id}: {requested} requested, {available} available")
        self.item_id = item_id
        self.requested = requested
        self.available = available


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.from_mapping(test_config)
    items = {1: {"id": 1, "name": "keyboard", "stock": 3}}

    def find(item_id):
        item = items.get(item_id)
        if item is None:
            # TODO: a 404 problem whose detail is "item <id> not found"
            return None
        return item

    @app.get("/api/items/<int:item_id>")
    def get_item(item_id):
        return jsonify(find(item_id))

    @app.post("/api/items")
    def create_item():
        data = request.get_json(silent=True)
        # TODO: a 400 problem when the body is not a JSON object with a non-empty string "name"
        item = {"id": max(items) + 1, "name": data["name"], "stock": 0}
        items[item["id"]] = item
        return jsonify(item), 201

    @app.post("/api/items/<int:item_id>/reserve")
    def reserve(item_id):
        item = find(item_id)
        quantity = (request.get_json(silent=True) or {}).get("quantity", 1)
        if quantity > item["stock"]:
            raise OutOfStock(item_id, quantity, item["stock"])
        item["stock"] -= quantity
        return jsonify(item)

    @app.get("/api/boom")
    def boom():
        # Deliberately broken, to see what a 500 looks like. The message holds a "secret".
        raise RuntimeError("database password is hunter2")

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
