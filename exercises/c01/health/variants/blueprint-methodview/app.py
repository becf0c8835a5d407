"""Health checks as a blueprint of MethodViews, with the database check in a registry of checks."""

import os

from flask import Blueprint, Flask, current_app, jsonify, make_response
from flask.views import MethodView
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select, literal
from sqlalchemy.exc import SQLAlchemyError

db = SQLAlchemy()


class Task(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    done = db.Column(db.Boolean, nullable=False, default=False)


def database_ok():
    try:
        db.session.scalar(select(literal(1)))
        return True
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("database check failed", exc_info=True)
        return False


CHECKS = {"database": database_ok}

health = Blueprint("health", __name__, url_prefix="/health")


def _answer(payload, status):
    response = make_response(jsonify(payload), status)
    response.cache_control.no_store = True
    return response


class Live(MethodView):
    def get(self):
        return _answer({"status": "ok"}, 200)


class Ready(MethodView):
    def get(self):
        results = {name: ("ok" if check() else "error") for name, check in CHECKS.items()}
        if all(value == "ok" for value in results.values()):
            return _answer({"status": "ready", "checks": results}, 200)
        return _answer({"status": "unavailable", "checks": results}, 503)


health.add_url_rule("/live", view_func=Live.as_view("live"))
health.add_url_rule("/ready", view_func=Ready.as_view("ready"))

api = Blueprint("api", __name__, url_prefix="/api")


@api.get("/tasks")
def list_tasks():
    tasks = db.session.scalars(select(Task).order_by(Task.id))
    return jsonify([{"id": t.id, "title": t.title, "done": t.done} for t in tasks])


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get(
        "DATABASE_URL", f"sqlite:///{os.path.join(app.instance_path, 'tasks.db')}"
    )
    app.config.update(test_config or {})
    db.init_app(app)
    with app.app_context():
        db.create_all()
    app.register_blueprint(health)
    app.register_blueprint(api)
    return app
