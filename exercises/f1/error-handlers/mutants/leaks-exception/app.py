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
            abort(404)
        return item

    @app.get("/boom")
    def boom():
        raise RuntimeError("database password is hunter2")

    register_error_handlers(app)
    return app


def register_error_handlers(app):
    # Unknown URLs and abort(404) both raise werkzeug's NotFound, which lands here.
    @app.errorhandler(404)
    def not_found(error):
        return {"error": "not found"}, 404

    # Unhandled exceptions become a 500. Flask has already logged the traceback
    # (app.logger) before calling us, so the client gets a generic message only.
    @app.errorhandler(500)
    def internal_error(error):
        return {"error": str(getattr(error, "original_exception", error))}, 500


if __name__ == "__main__":
    create_app().run(debug=True)
