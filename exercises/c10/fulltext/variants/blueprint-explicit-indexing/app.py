import os

from flask import Flask
from werkzeug.exceptions import HTTPException

import search
from articles import bp
from models import db


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "app.db")
    app.config.update(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    app.register_blueprint(bp)

    @app.errorhandler(HTTPException)
    def as_json(e):
        return {"error": e.description}, e.code

    with app.app_context():
        db.create_all()
        with db.engine.begin() as conn:
            search.create_index(conn)
    return app
