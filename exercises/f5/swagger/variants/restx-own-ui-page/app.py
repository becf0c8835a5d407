"""Application factory: configuration, database, the documented API."""

import os

from flask import Flask

from models import db


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "books.db"),
        # Swagger UI's "Try it out" shows every field of a request; errors stay JSON.
        RESTX_MASK_SWAGGER=False,
    )
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    with app.app_context():
        db.create_all()

    from books import ns as books_ns
    from docs import bp as docs_bp
    from openapi import api

    if books_ns not in api.namespaces:
        api.add_namespace(books_ns)
    api.init_app(app)  # registers the resources, /swagger and /swagger.json
    app.register_blueprint(docs_bp)  # /openapi.json
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
