"""The users of the authorization server: register, log in (a session cookie), log out.

Already done: the OAuth 2.0 endpoints (oauth.py) use the logged-in user, session["user_id"].
"""
from flask import Blueprint, request, session
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from models import User, db

bp = Blueprint("auth", __name__, url_prefix="/auth")


def credentials():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return None, None
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        return None, None
    return username.strip(), password


@bp.post("/register")
def register():
    username, password = credentials()
    if not username or not 1 <= len(username) <= 80 or not password or len(password) < 8:
        return {"error": "invalid_request", "message": "username (1-80 characters) and password (8+) are required"}, 400
    user = User(username=username, password_hash=generate_password_hash(password))
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return {"error": "conflict", "message": "username taken"}, 409
    return {"id": user.id, "username": user.username}, 201


@bp.post("/login")
def login():
    username, password = credentials()
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none() if username else None
    if user is None or not check_password_hash(user.password_hash, password):
        return {"error": "invalid_credentials", "message": "wrong username or password"}, 401
    session.clear()
    session["user_id"] = user.id
    return {"id": user.id, "username": user.username}


@bp.post("/logout")
def logout():
    session.clear()
    return "", 204
