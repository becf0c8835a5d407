"""Task Manager accounts in one module: model, routes on the app (no blueprint), legacy Model.query."""
import os

from flask import Flask, jsonify, request, session
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(30), unique=True, nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)


def public(user):
    return {"id": user.id, "username": user.username}


def valid_username(name):
    return isinstance(name, str) and 3 <= len(name) <= 30 and all(c.isascii() and (c.isalnum() or c == "_") for c in name)


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev")
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "tasks.db")
    app.config.update(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    with app.app_context():
        db.create_all()

    @app.route("/api/auth/register", methods=["POST"])
    def register():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return jsonify(error="JSON object expected"), 400
        password = data.get("password")
        if not valid_username(data.get("username")) or not isinstance(password, str) or len(password) < 8:
            return jsonify(error="username: 3-30 letters, digits, _; password: 8+ characters"), 400
        if User.query.filter_by(username=data["username"]).first() is not None:
            return jsonify(error="Username taken"), 409
        user = User(username=data["username"], password_hash=generate_password_hash(password))
        db.session.add(user)
        db.session.commit()
        return jsonify(public(user)), 201

    @app.route("/api/auth/login", methods=["POST"])
    def login():
        data = request.get_json(silent=True)
        if not isinstance(data, dict) or not isinstance(data.get("username"), str) or not isinstance(data.get("password"), str):
            return jsonify(error="username and password required"), 400
        user = User.query.filter_by(username=data["username"]).first()
        if user is None or not check_password_hash(user.password_hash, data["password"]):
            return jsonify(error="Bad credentials"), 401
        session.clear()
        session["uid"] = user.id
        return jsonify(public(user))

    @app.route("/api/auth/logout", methods=["POST"])
    def logout():
        session.clear()
        return "", 204

    @app.route("/api/auth/me")
    def me():
        user = db.session.get(User, session["uid"]) if "uid" in session else None
        if user is None:
            return jsonify(error="Not logged in"), 401
        return jsonify(public(user))

    return app
