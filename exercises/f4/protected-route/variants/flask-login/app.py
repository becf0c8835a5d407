import os

from flask import Flask
from flask_login import LoginManager
from werkzeug.exceptions import HTTPException

from models import User, db

login_manager = LoginManager()


@login_manager.user_loader
def load_user(user_id):
    return db.session.get(User, int(user_id))


@login_manager.unauthorized_handler
def unauthorized():
    return {"error": "log in first"}, 401


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "app.db"),
    )
    app.config.from_mapping(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    login_manager.init_app(app)

    from auth import bp as auth_bp
    from dashboard import bp as dashboard_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(dashboard_bp)

    @app.errorhandler(HTTPException)
    def json_error(e):
        return {"error": e.description}, e.code

    with app.app_context():
        db.create_all()
    return app
