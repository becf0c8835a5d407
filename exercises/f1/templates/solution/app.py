"""Template inheritance: one layout (base.html), many pages that extend it."""
from flask import Flask, render_template


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.get("/")
    def index():
        return render_template("index.html")

    @app.get("/about")
    def about():
        # Flask looks the name up in the templates/ folder next to this module.
        return render_template("about.html")

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
