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
    from werkzeug.exceptions import HTTPException

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code == 404:
            return {"error": "not found"}, 404
        return {"error": error.name.lower()}, error.code

    @app.errorhandler(Exception)
    def unexpected(error):
        app.logger.exception("unhandled error")
        return {"error": "internal server error"}, 500


if __name__ == "__main__":
    create_app().run(debug=True)
