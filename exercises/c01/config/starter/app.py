"""An app whose settings are hard-coded: move them to config.py and the environment."""

from flask import Flask, jsonify


def create_app(config_name=None):
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "super-secret-do-not-share"  # a secret in the code: never do this
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///app.db"
    app.config["ITEMS_PER_PAGE"] = 20

    @app.get("/api/info")
    def info():
        return jsonify(environment="development", debug=app.debug)

    return app


if __name__ == "__main__":
    create_app().run()
