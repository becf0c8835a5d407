"""Fixture app: a tutorial-style factory with Flask-SQLAlchemy (tests rely on line numbers)."""
from flask import Flask, jsonify, render_template, request, url_for
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), unique=True, nullable=False)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SQLALCHEMY_DATABASE_URI="sqlite:///items.db")
    if test_config:
        app.config.update(test_config)
    db.init_app(app)
    with app.app_context():
        db.create_all()

    @app.get("/")
    def index():
        print("index was called")
        return "Hello, Flask!"

    @app.get("/api/items")
    def list_items():
        return jsonify([{"id": i.id, "name": i.name} for i in Item.query.order_by(Item.id)])

    @app.post("/api/items")
    def create_item():
        data = request.get_json()
        item = Item(name=data["name"])
        db.session.add(item)
        db.session.commit()
        return {"id": item.id, "name": item.name}, 201

    @app.get("/api/readonly")
    def readonly():
        return {"ok": True}

    @app.get("/page")
    def page():
        return render_template("missing.html")

    @app.get("/hello/<name>")
    def hello(name):
        return render_template("hello.html", name=name)

    @app.get("/link")
    def link():
        return url_for("no_such_view")

    @app.get("/html")
    def html():
        return "<p>not json</p>"

    @app.errorhandler(ZeroDivisionError)
    def math_error(e):
        return {"error": "math"}, 500

    @app.get("/divide")
    def divide():
        return {"result": 1 / 0}

    @app.get("/config")
    def config():
        return {"testing": app.config["TESTING"], "has_secret": bool(app.config.get("SECRET_KEY")),
                "instance": app.instance_path, "db": str(db.engine.url),
                "flag": app.config.get("FLAG")}

    return app
