"""Register, log in, log out: everything in one module."""
import os

from flask import Flask, jsonify, request, session
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__, instance_relative_config=True)
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only")
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "users.db")
os.makedirs(app.instance_path, exist_ok=True)
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), unique=True, nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)


with app.app_context():
    db.create_all()


def public(user):
    return {"id": user.id, "username": user.username}


def fail(status, message):
    return jsonify(error=message), status


def read_credentials():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return None, None
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not username.strip() or not isinstance(password, str) or not password:
        return None, None
    return username.strip(), password


@app.post("/register")
def register():
    username, password = read_credentials()
    if username is None:
        return fail(400, "username and password are required")
    if len(password) < 8:
        return fail(400, "use at least 8 characters")
    if User.query.filter_by(username=username).first() is not None:
        return fail(409, "username taken")
    user = User(username=username, password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.commit()
    return jsonify(public(user)), 201


@app.post("/login")
def login():
    username, password = read_credentials()
    if username is None:
        return fail(400, "username and password are required")
    user = User.query.filter_by(username=username).first()
    if user is None or not check_password_hash(user.password_hash, password):
        return fail(401, "invalid credentials")
    session.clear()
    session["user_id"] = user.id
    return jsonify(public(user))


@app.post("/logout")
def logout():
    session.pop("user_id", None)
    return jsonify(ok=True)


@app.get("/me")
def me():
    user = User.query.get(session["user_id"]) if "user_id" in session else None
    if user is None:
        return fail(401, "not logged in")
    return jsonify(public(user))
