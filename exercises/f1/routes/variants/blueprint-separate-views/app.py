from flask import Blueprint, Flask, jsonify

bp = Blueprint("api", __name__)


@bp.get("/users/<int:user_id>")
def user(user_id):
    return jsonify(id=user_id)


@bp.get("/files/<path:name>")
def file(name):
    return jsonify(path=name)


@bp.get("/messages")
def list_messages():
    return jsonify(method="GET")


@bp.post("/messages")
def create_message():
    return jsonify(method="POST"), 201


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(test_config or {})
    app.register_blueprint(bp)
    return app
