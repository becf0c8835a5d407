"""Payment Processing Service: the app factory.

The database is the one DATABASE_URL names (for example
postgresql://user@127.0.0.1:5432/payments), else a SQLite file in the instance folder.
The payment provider's URL and secret API key come from the environment, never from the code.
"""
import os
import time

from flask import Flask

from fraud import bp as fraud_bp
from ledger import bp as ledger_bp
from models import db
from payments import bp as payments_bp
from refunds import bp as refunds_bp
from webhooks import bp as webhooks_bp


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", "sqlite:///" + os.path.join(app.instance_path, "payments.sqlite")
        ),
        PROVIDER_URL=os.environ.get("PROVIDER_URL", "http://127.0.0.1:8010"),
        PROVIDER_API_KEY=os.environ.get("PROVIDER_API_KEY", ""),
        PROVIDER_TIMEOUT=float(os.environ.get("PROVIDER_TIMEOUT", "5")),
        PROVIDER_WEBHOOK_SECRET=os.environ.get("PROVIDER_WEBHOOK_SECRET", ""),
        WEBHOOK_TOLERANCE=300,  # seconds between the signature's timestamp and now
        CLOCK=time.time,  # injectable: the checks set a fixed clock
        # Fraud rules (fraud.py)
        FRAUD_VELOCITY_LIMIT=3,  # payments per customer ...
        FRAUD_VELOCITY_WINDOW=3600,  # ... in this many seconds
        FRAUD_AMOUNT_LIMIT=100_000,  # cents
        FRAUD_BLOCKLIST=[],  # customers and IP addresses
        IP_COUNTRIES={},  # {"203.0.113.0/24": "FR"}: where an address is (a GeoIP database in production)
    )
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    app.register_blueprint(payments_bp)
    app.register_blueprint(ledger_bp)
    app.register_blueprint(refunds_bp)
    app.register_blueprint(webhooks_bp)
    app.register_blueprint(fraud_bp)

    with app.app_context():
        db.create_all()
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
