"""Application factory: configuration, database, blueprints."""

import os

from flask import Flask
from flask_cors import CORS

from models import db


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "books.db"),
        # The front-end (a Vite dev server) that calls this API from the browser.
        FRONTEND_ORIGIN=os.environ.get("FRONTEND_ORIGIN", "http://localhost:5173"),
    )
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    with app.app_context():
        db.create_all()

    from books import bp as books_bp

    app.register_blueprint(books_bp)

    # Cross-origin access for the API only, and only for our front-end: never "*".
    # Flask-CORS answers preflight OPTIONS requests and adds the Access-Control-* headers;
    # a request from any other origin gets no Access-Control-Allow-Origin, so the browser
    # refuses to hand the response to that page's JavaScript.
    CORS(app, resources={r"/api/*": {"origins": ["http://localhost:5173"]}})

    @app.get("/health")
    def health():
        # Not part of the API: used by the server's own monitoring, never by the browser.
        return {"status": "ok"}

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
