"""Task Management API: the app factory.

The database is the one DATABASE_URL names (for example
postgresql://user@127.0.0.1:5432/tasks), else a SQLite file in the instance folder.
"""
import os

from flask import Flask
from flask_restx import Api

from models import db
from tasks import ns as tasks_ns


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-key-set-SECRET_KEY-in-production"),
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", "sqlite:///" + os.path.join(app.instance_path, "tasks.sqlite")
        ),
        ERROR_404_HELP=False,  # no "did you mean" route listing in 404 messages
        RESTX_MASK_SWAGGER=False,  # no X-Fields mask parameter on every operation
    )
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    api = Api(app, version="1.0", title="Task Management API", doc="/swagger",
              description="Tasks: create, list, read, update and delete.")
    api.add_namespace(tasks_ns)

    with app.app_context():
        db.create_all()
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
