"""Accounts with Flask-Login: LoginManager, login_user/logout_user, login_required, current_user."""

import re

import flask_login
from flask import Blueprint, request, session
from flask_login import current_user, login_required

from models import User, db

bp = Blueprint("auth", __name__, url_prefix="/api/auth")
login_manager = flask_login.LoginManager()


@login_manager.user_loader
def load_user(user_id):
    return db.session.get(User, int(user_id))


@login_manager.unauthorized_handler
def unauthorized():
    return {"error": "Authentication required"}, 401


@bp.record_once
def setup(state):
    login_manager.init_app(state.app)


@bp.post("/register")
def register():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return {"error": "JSON object expected"}, 400
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not re.fullmatch(r"[A-Za-z0-9_]{3,30}", username):
        return {"error": "username: 3 to 30 letters, digits or underscores"}, 400
    if not isinstance(password, str) or len(password) < 8:
        return {"error": "password: at least 8 characters"}, 400
    if db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none():
        return {"error": "That username is already taken"}, 409
    user = User(username=username)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user.to_dict(), 201


@bp.post("/login")
def login():
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("username", "password")):
        return {"error": "username and password are required"}, 400
    user = db.session.execute(db.select(User).filter_by(username=data["username"])).scalar_one_or_none()
    if user is None or not user.check_password(data["password"]):
        return {"error": "Invalid username or password"}, 401
    session.clear()
    flask_login.login_user(user)
    return user.to_dict()


@bp.post("/logout")
def logout():
    flask_login.logout_user()
    session.clear()
    return "", 204


@bp.get("/me")
@login_required
def me():
    return current_user.to_dict()
