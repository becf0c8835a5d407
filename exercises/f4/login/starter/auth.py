"""Register, log in, log out: session-based authentication for a JSON API."""
from flask import Blueprint, abort, request, session  # noqa: F401 - for you

from models import User, db

bp = Blueprint("auth", __name__)


@bp.post("/register")
def register():
    # TODO: read {"username": ..., "password": ...} from the JSON body.
    #   400 when one is missing or the password is shorter than 8 characters,
    #   409 when the username is taken,
    #   otherwise create the user (user.set_password(...)) and answer 201 with user.to_dict().
    return {"error": "not implemented yet"}, 501


@bp.post("/login")
def login():
    # TODO: find the user by username and check the password.
    #   401 when the user does not exist or the password is wrong (the same answer for both),
    #   otherwise remember the user in the session (session["user_id"] = user.id)
    #   and answer 200 with user.to_dict().
    return {"error": "not implemented yet"}, 501


@bp.post("/logout")
def logout():
    # TODO: forget who is logged in and answer 200.
    return {"error": "not implemented yet"}, 501


@bp.get("/me")
def me():
    """Who is logged in? 401 when nobody is."""
    user_id = session.get("user_id")
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None:
        abort(401, description="not logged in")
    return user.to_dict()
