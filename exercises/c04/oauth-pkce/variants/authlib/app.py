"""An OAuth 2.0 authorization server for first-party public clients (a single-page app, a CLI),
with PKCE. The database is the one DATABASE_URL names, else a SQLite file in the instance folder.
"""
import os

from flask import Flask

from auth import bp as auth_bp
from models import db
from oauth import init_oauth


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        # Set SECRET_KEY in the environment in production.
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-key-set-SECRET_KEY-in-production"),
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", "sqlite:///" + os.path.join(app.instance_path, "oauth.sqlite")
        ),
        # The registered clients: public clients (no secret), so PKCE is what protects their codes.
        OAUTH_CLIENTS={
            "tasks-spa": {"redirect_uris": ["https://spa.example.com/callback", "http://127.0.0.1:5173/callback"]},
            "tasks-cli": {"redirect_uris": ["http://127.0.0.1:8765/callback"]},
        },
        OAUTH_CODE_LIFETIME=60,  # seconds an authorization code may wait before its exchange
        OAUTH_TOKEN_LIFETIME=3600,  # seconds an access token works
    )
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    app.register_blueprint(auth_bp)
    init_oauth(app)
    with app.app_context():
        db.create_all()
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
