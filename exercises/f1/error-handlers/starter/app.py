"""Custom 404 and 500 handlers: JSON errors for an API."""
from flask import Flask, abort

ITEMS = {1: {"id": 1, "name": "keyboard"}, 2: {"id": 2, "name": "mouse"}}


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.get("/")
    def index():
        return {"items": list(ITEMS.values())}

    @app.get("/items/<int:item_id>")
    def get_item(item_id):
        item = ITEMS.get(item_id)
        if item is None:
            abort(404)  # handled by your 404 handler, like an unknown URL
        return item

    @app.get("/boom")
    def boom():
        # A simulated bug: this message must never reach the client.
        raise RuntimeError("database password is hunter2")

    # TODO: register a 404 handler that answers {"error": "not found"} with status 404.

    # TODO: register a 500 handler that answers {"error": "internal server error"} with status 500.

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
