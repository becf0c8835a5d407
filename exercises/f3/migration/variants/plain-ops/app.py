"""Application factory. The schema is managed by Flask-Migrate: run `flask db upgrade`."""
import os

from flask import Flask
from flask_migrate import Migrate
from werkzeug.exceptions import HTTPException

from books import bp as books_bp
from models import db

# The migration scripts live next to this file, whatever the current directory is.
MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "migrations")

# render_as_batch: SQLite cannot change most things about an existing table, so Alembic
# rebuilds the table ("batch mode") when a migration alters or drops a column.
migrate = Migrate(directory=MIGRATIONS_DIR, render_as_batch=True)


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "library.db"),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db)
    app.register_blueprint(books_bp)

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    # No db.create_all() here: the tables come from the migrations in migrations/versions/.
    # Run `flask db upgrade` once (and after every new migration) to build or update them.
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
