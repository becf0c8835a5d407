from flask import Flask, render_template


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(test_config or {})

    @app.route("/")
    def index():
        return render_template("index.html")

    @app.route("/about")
    def about():
        return render_template("about.html")

    return app
