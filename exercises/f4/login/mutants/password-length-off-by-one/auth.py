"""Register, log in, log out: session-based authentication for a JSON API."""
from flask import Blueprint, abort, request, session

from models import User, db

bp = Blueprint("auth", __name__)

MIN_PASSWORD_LENGTH = 8


def _credentials():
    data = request.get_json(silent=True) or {}
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not username.strip() or not isinstance(password, str) or not password:
        abort(400, description="username and password are required")
    return username.strip(), password


@bp.post("/register")
def register():
    username, password = _credentials()
    if len(password) <= MIN_PASSWORD_LENGTH:
        abort(400, description=f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none():
        abort(409, description="that username is taken")
    user = User(username=username)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user.to_dict(), 201


@bp.post("/login")
def login():
    username, password = _credentials()
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
    # The same answer for "no such user" and "wrong password": an attacker must not learn
    # which usernames exist.
    if user is None or not user.check_password(password):
        abort(401, description="invalid username or password")
    # A fresh session at login: nothing from before (set by someone else?) survives.
    session.clear()
    session["user_id"] = user.id
    return user.to_dict()


@bp.post("/logout")
def logout():
    session.clear()
    return {"message": "logged out"}


@bp.get("/me")
def me():
    """Who is logged in? 401 when nobody is."""
    user_id = session.get("user_id")
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None:
        abort(401, description="not logged in")
    return user.to_dict()
