"""Application factory for the feedback form."""
import os

from flask import Flask

from feedback import bp as feedback_bp
from models import db

# TODO: protect the app against CSRF with Flask-WTF:
#   from flask_wtf.csrf import CSRFProtect
#   csrf = CSRFProtect()      (here, at module level)
#   csrf.init_app(app)        (in create_app)


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "feedback.db"),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    app.register_blueprint(feedback_bp)

    with app.app_context():
        db.create_all()

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
