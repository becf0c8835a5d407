"""JSON echo: read a JSON body and send it back."""
from flask import Flask, request  # noqa: F401  (you will need `request`)


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.post("/echo")
    def echo():
        # TODO: read the JSON body of the request.
        # TODO: if there is no valid JSON body, answer 400 with {"error": "..."}.
        # TODO: otherwise answer 200 with {"you_sent": <the body>}.
        return {"error": "not implemented yet"}, 501

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
