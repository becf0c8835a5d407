"""Routes with converters."""
from flask import Flask, request  # noqa: F401  (you will need `request`)


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.get("/")
    def index():
        return {"routes": ["/users/<int:user_id>", "/files/<path:name>", "/messages"]}

    # TODO: GET /users/<int:user_id>  -> 200 {"id": user_id}  (the id as a number)

    # TODO: GET /files/<path:name>    -> 200 {"path": name}   (slashes included)

    # TODO: /messages: GET -> 200 {"method": "GET"}, POST -> 201 {"method": "POST"}

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
