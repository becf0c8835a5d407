"""Application factory: configuration, database, blueprints."""

import os

from flask import Flask

from models import db


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "books.db"),
    )
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    with app.app_context():
        db.create_all()

    from books import bp as books_bp

    app.register_blueprint(books_bp)

    from docs import bp as docs_bp

    app.register_blueprint(docs_bp)

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
