"""Shop: the application factory."""

import os

from flask import Flask, json
from werkzeug.exceptions import HTTPException

from auth import bp as auth_bp
from cart import bp as cart_bp
from checkout import bp as checkout_bp
from models import db
from products import bp as products_bp


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
        # The session cookie: invisible to JavaScript, not sent by other sites' forms.
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "shop.db"),
        # The payment provider: its address and secret API key come from the environment.
        PAYMENT_PROVIDER_URL=os.environ.get("PAYMENT_PROVIDER_URL", "http://127.0.0.1:8010"),
        PAYMENT_API_KEY=os.environ.get("PAYMENT_API_KEY", ""),
        PAYMENT_TIMEOUT=float(os.environ.get("PAYMENT_TIMEOUT", "5")),
    )
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    with app.app_context():
        db.create_all()

    app.register_blueprint(auth_bp)
    app.register_blueprint(products_bp)
    app.register_blueprint(cart_bp)
    app.register_blueprint(checkout_bp)

    @app.errorhandler(HTTPException)
    def json_http_error(e):
        """Every HTTP error answers JSON {"error": "..."} with its status."""
        response = e.get_response()
        response.data = json.dumps({"error": e.description})
        response.content_type = "application/json"
        return response

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
