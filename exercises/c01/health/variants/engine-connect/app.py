"""A small tasks API on Flask-SQLAlchemy with liveness and readiness health checks."""

import os

from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

db = SQLAlchemy()


class Task(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    done = db.Column(db.Boolean, nullable=False, default=False)

    def to_dict(self):
        return {"id": self.id, "title": self.title, "done": self.done}


def no_store(body, status):
    """A JSON answer that no client or proxy may cache (a health answer is only true now)."""
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", "sqlite:///" + os.path.join(app.instance_path, "tasks.db")
        ),
    )
    if test_config:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    with app.app_context():
        db.create_all()

    @app.get("/api/tasks")
    def list_tasks():
        return jsonify([task.to_dict() for task in db.session.scalars(db.select(Task).order_by(Task.id))])

    @app.get("/health/live")
    def live():
        # Liveness: the process answers. No dependency is checked here, or a database outage
        # would get every healthy instance restarted.
        return no_store({"status": "ok"}, 200)

    @app.get("/health/ready")
    def ready():
        # Readiness: can this instance serve traffic? The cheapest query proves the database answers.
        try:
            with db.engine.connect() as connection:
                connection.execute(text("SELECT 1")).scalar_one()
        except SQLAlchemyError:
            app.logger.exception("readiness check: the database did not answer")
            return no_store({"status": "unavailable", "checks": {"database": "error"}}, 503)
        return no_store({"status": "ready", "checks": {"database": "ok"}}, 200)

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
