"""Your first Flask app: a greeting and a health check."""
from flask import Flask


def create_app(test_config=None):
    """Application factory: build a fresh, configured app on every call.

    Tests call it with their own config; `flask --app app run` calls it with none.
    """
    app = Flask(__name__)
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.get("/")
    def index():
        # A str becomes a text/html response with status 200.
        return "Hello from Flask!"

    @app.get("/health")
    def health():
        # A dict becomes a JSON response (Content-Type: application/json).
        return "ok"

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
