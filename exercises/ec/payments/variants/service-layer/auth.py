"""Accounts (given): register, log in, log out, who am I. The session remembers the user's id.
An administrator is a user whose is_admin column is true (set it in the database: flask shell)."""

import functools
import re

from flask import Blueprint, g, request, session
from sqlalchemy.exc import IntegrityError

from models import User, db, merge_guest_cart

bp = Blueprint("auth", __name__, url_prefix="/api/auth")

USERNAME_RE = re.compile(r"[A-Za-z0-9_]{3,30}")
MIN_PASSWORD_LENGTH = 8


def json_body():
    """The request's JSON object, or None when the body is missing, invalid or not an object."""
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


def current_user():
    """The logged-in User, or None (looked up once per request)."""
    if "user" not in g:
        user_id = session.get("user_id")
        g.user = db.session.get(User, user_id) if user_id is not None else None
    return g.user


def login_required(view):
    """Answer 401 JSON (an API never redirects to a login page) when nobody is logged in."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            return {"error": "Authentication required"}, 401
        return view(*args, **kwargs)

    return wrapped


def admin_required(view):
    """401 when nobody is logged in, 403 when the user is not an administrator."""

    @functools.wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user().is_admin:
            return {"error": "Administrators only"}, 403
        return view(*args, **kwargs)

    return wrapped


@bp.post("/register")
def register():
    data = json_body()
    if data is None:
        return {"error": "The request body must be a JSON object"}, 400
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not USERNAME_RE.fullmatch(username):
        return {"error": "username: 3 to 30 letters, digits or underscores"}, 400
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        return {"error": f"password: at least {MIN_PASSWORD_LENGTH} characters"}, 400
    user = User(username=username)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # the unique constraint on username
        db.session.rollback()
        return {"error": "That username is already taken"}, 409
    return user.to_dict(), 201


@bp.post("/login")
def login():
    data = json_body()
    if data is None or not isinstance(data.get("username"), str) or not isinstance(data.get("password"), str):
        return {"error": "Send a JSON object with username and password"}, 400
    user = db.session.execute(db.select(User).filter_by(username=data["username"])).scalar_one_or_none()
    if user is None or not user.check_password(data["password"]):
        return {"error": "Invalid username or password"}, 401
    guest_cart = session.get("cart") or {}  # read it before the session is emptied
    session.clear()  # a fresh session: nothing of a previous user survives
    session["user_id"] = user.id
    merge_guest_cart(user, guest_cart)
    return user.to_dict()


@bp.post("/logout")
def logout():
    session.clear()
    return "", 204


@bp.get("/me")
@login_required
def me():
    return current_user().to_dict()
