"""Template inheritance: one layout, many pages."""
from flask import Flask, render_template


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.get("/")
    def index():
        return render_template("index.html")

    # TODO: add GET /about that renders templates/about.html

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
