"""Products with an autocomplete endpoint (to write)."""
import os

from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()

# TODO: the search index (an FTS5 table over product.name, kept in sync with the table).
SEARCH_DDL = []


class Product(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    popularity = db.Column(db.Integer, nullable=False, default=0)

    def to_dict(self):
        return {"id": self.id, "name": self.name, "popularity": self.popularity}


def init_search(connection):
    for statement in SEARCH_DDL:
        connection.execute(text(statement))


def validated(data, partial):
    if not isinstance(data, dict):
        abort(400, description="send a JSON object")
    clean = {}
    if "name" in data or not partial:
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            abort(400, description="name must be a non-blank string")
        clean["name"] = name.strip()
    if "popularity" in data:
        popularity = data["popularity"]
        if not isinstance(popularity, int) or isinstance(popularity, bool) or popularity < 0:
            abort(400, description="popularity must be an integer, 0 or more")
        clean["popularity"] = popularity
    return clean


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "shop.db"),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    @app.post("/api/products")
    def create_product():
        product = Product(**validated(request.get_json(silent=True), partial=False))
        db.session.add(product)
        db.session.commit()
        return product.to_dict(), 201

    @app.patch("/api/products/<int:product_id>")
    def update_product(product_id):
        product = db.get_or_404(Product, product_id)
        for key, value in validated(request.get_json(silent=True), partial=True).items():
            setattr(product, key, value)
        db.session.commit()
        return product.to_dict()

    @app.delete("/api/products/<int:product_id>")
    def delete_product(product_id):
        db.session.delete(db.get_or_404(Product, product_id))
        db.session.commit()
        return "", 204

    @app.get("/api/autocomplete")
    def autocomplete():
        # TODO: suggestions for q (see the brief's requirements)
        q = request.args.get("q", "")
        return {"query": q, "suggestions": []}

    with app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            init_search(connection)
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
