"""Application factory: configuration, extensions, blueprints, tables."""
import os

from flask import Flask
from werkzeug.exceptions import HTTPException

from models import db
from routes import bp as users_bp


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
        # The SQLite file lives in the instance/ folder, outside the code.
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "users.db"),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    app.register_blueprint(users_bp)

    @app.errorhandler(HTTPException)
    def json_error(error):
        # An API answers errors in JSON too, not with an HTML page.
        return {"error": error.description}, error.code

    # Create the tables that do not exist yet (existing tables are left alone).
    # create_all() needs to know the app, hence the application context.
    with app.app_context():
        db.create_all()

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
