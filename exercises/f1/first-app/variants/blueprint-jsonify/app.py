from flask import Blueprint, Flask, jsonify

main = Blueprint("main", __name__)


@main.get("/")
def greet():
    return jsonify(message="Hello, learner")


@main.get("/health")
def health():
    return jsonify(status="ok")


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)
    app.register_blueprint(main)
    return app
