"""Who is calling? Session-based authentication helpers.

Login stores the user's id in Flask's session: a cookie signed with SECRET_KEY, so the client
can read it but cannot forge it. The browser sends it back with every request.
"""

import functools

from flask import g, session

from models import User, db


def login_user(user):
    session.clear()  # drop anything from before the login (e.g. another user's session)
    session["user_id"] = user.id


def logout_user():
    session.clear()


def current_user():
    """The logged-in User, or None. Looked up once per request (cached on g)."""
    if "current_user" not in g:
        user_id = session.get("user_id")
        g.current_user = db.session.get(User, user_id) if user_id is not None else None
    return g.current_user


def login_required(view):
    """Answer 401 JSON (not a redirect to a login page: this is an API) when nobody is logged in."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            return {"error": "Authentication required"}, 401
        return view(*args, **kwargs)

    return wrapped
