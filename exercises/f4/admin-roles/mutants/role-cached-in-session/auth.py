"""Authentication (who are you?) and authorization (what may you do?)."""
import functools

from flask import Blueprint, abort, g, request, session

from models import User, db

bp = Blueprint("auth", __name__)

MIN_PASSWORD_LENGTH = 8


@bp.before_app_request
def load_logged_in_user():
    """Before every request: g.user is the logged-in User, or None.

    The role is read from the database on every request (not cached in the session), so a
    change of role takes effect at once.
    """
    user_id = session.get("user_id")
    g.user = db.session.get(User, user_id) if user_id is not None else None


def roles_required(*roles):
    """Decorator factory: @roles_required("admin") lets only users with one of `roles` in.

    401 Unauthorized: nobody is logged in (authentication is missing).
    403 Forbidden: we know who you are, and you may not do this (authorization fails).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped_view(*args, **kwargs):
            if g.user is None:
                abort(401, description="log in first")
            if session.get("role") not in roles:
                abort(403, description="you do not have permission to do this")
            return view(*args, **kwargs)

        return wrapped_view

    return decorator


def _credentials():
    data = request.get_json(silent=True) or {}
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not username.strip() or not isinstance(password, str) or not password:
        abort(400, description="username and password are required")
    return username.strip(), password


@bp.post("/register")
def register():
    username, password = _credentials()
    if len(password) < MIN_PASSWORD_LENGTH:
        abort(400, description=f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none():
        abort(409, description="that username is taken")
    user = User(username=username)  # role: the column default, "user"
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user.to_dict(), 201


@bp.post("/login")
def login():
    username, password = _credentials()
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
    if user is None or not user.check_password(password):
        abort(401, description="invalid username or password")
    session.clear()
    session["user_id"] = user.id
    session["role"] = user.role
    return user.to_dict()


@bp.post("/logout")
def logout():
    session.clear()
    return {"message": "logged out"}


@bp.get("/me")
def me():
    if g.user is None:
        abort(401, description="not logged in")
    return g.user.to_dict()
