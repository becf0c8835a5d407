"""JSON echo: read a JSON body and send it back, refusing bad bodies with a JSON 400."""
from flask import Flask, request


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.post("/echo")
    def echo():
        # silent=True: a missing body, a non-JSON content type or broken JSON give None
        # instead of an exception, so we decide what the client sees.
        data = request.get_json(force=True, silent=True)
        if data is None:
            return {"error": "the request body must be valid JSON (Content-Type: application/json)"}, 400
        # Any JSON value is fine: objects, lists, strings, numbers, even {} or false.
        return {"you_sent": data}, 200

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
