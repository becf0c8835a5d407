"""The session routes on a blueprint of their own: log in, who am I, log out."""

from flask import Blueprint

from auth import current_user, login_required, login_user, logout_user
from models import User, db
from utils import json_body

bp = Blueprint("sessions", __name__, url_prefix="/api")


@bp.post("/login")
def login():
    data = json_body()
    if data is None or not isinstance(data.get("username"), str) or not isinstance(data.get("password"), str):
        return {"error": "Send a JSON object with username and password"}, 400
    user = db.session.execute(db.select(User).where(User.username == data["username"])).scalar_one_or_none()
    # One answer for "no such user" and "wrong password": don't tell an attacker which one.
    if user is None or not user.check_password(data["password"]):
        return {"error": "Invalid username or password"}, 401
    login_user(user)
    return user.to_dict(private=True)


@bp.post("/logout")
def logout():
    logout_user()
    return {"message": "Logged out"}


@bp.get("/me")
@login_required
def me():
    return current_user().to_dict(private=True)
