"""Your first Flask app.

Run it with `flask --app app run --debug`, then open http://127.0.0.1:5000/ in your browser.
"""
from flask import Flask


def create_app(test_config=None):
    """Build and return the Flask application (the "application factory")."""
    app = Flask(__name__)
    if test_config is not None:
        app.config.from_mapping(test_config)

    # TODO: add a route for GET / that returns a greeting containing the word "Hello".

    # TODO: add a route for GET /health that returns the JSON {"status": "ok"}.

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
