import os

from flask import Flask, jsonify

from models import db, init_db
from routes import bp


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "users.db")
    app.config.update(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    app.register_blueprint(bp)

    @app.errorhandler(409)
    @app.errorhandler(400)
    @app.errorhandler(404)
    def error(e):
        return jsonify(error=e.description), e.code

    init_db(app)
    return app
