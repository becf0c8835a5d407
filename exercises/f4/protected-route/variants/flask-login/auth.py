from flask import Blueprint, abort, request
from flask_login import login_user, logout_user

from models import User, db

bp = Blueprint("auth", __name__)


def credentials():
    data = request.get_json(silent=True) or {}
    name, password = data.get("username"), data.get("password")
    if not isinstance(name, str) or not name.strip() or not isinstance(password, str) or len(password) < 8:
        abort(400, description="username and a password of 8+ characters are required")
    return name.strip(), password


@bp.post("/register")
def register():
    name, password = credentials()
    if db.session.scalar(db.select(User).where(User.username == name)):
        abort(409, description="taken")
    user = User(username=name)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user.to_dict(), 201


@bp.post("/login")
def login():
    name, password = credentials()
    user = db.session.scalar(db.select(User).where(User.username == name))
    if user is None or not user.check_password(password):
        abort(401, description="invalid username or password")
    login_user(user)
    return user.to_dict()


@bp.post("/logout")
def logout():
    logout_user()
    return {"message": "bye"}
