"""Payment Processing Service: the app factory; card numbers are refused app-wide."""
import os

from flask import Flask, jsonify, request

from models import db
from pci import holds_card_number
from views import bp, ledger_bp


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", "sqlite:///" + os.path.join(app.instance_path, "payments.sqlite")),
        PROVIDER_URL=os.environ.get("PROVIDER_URL", "http://127.0.0.1:8010"),
        PROVIDER_API_KEY=os.environ.get("PROVIDER_API_KEY", ""),
        PROVIDER_TIMEOUT=float(os.environ.get("PROVIDER_TIMEOUT", "5")),
    )
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(ledger_bp)

    @app.before_request
    def no_card_numbers():
        if request.is_json and holds_card_number(request.get_json(silent=True)):
            return jsonify(error="This API takes no card numbers: send a payment method token (pm_...)"), 422
        return None

    with app.app_context():
        db.create_all()
    return app
