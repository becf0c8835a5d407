"""Pages for logged-in users only."""
from flask import Blueprint, g  # noqa: F401 - g.user is the logged-in user (see auth.py)

from auth import login_required  # noqa: F401 - for you

bp = Blueprint("dashboard", __name__)


# TODO: only logged-in users may see these two routes: anonymous visitors get 401.
#   GET /dashboard -> 200 {"username": "<the user's name>", "message": "..."}
#   GET /account   -> 200 {"id": ..., "username": "..."}


@bp.get("/dashboard")
def dashboard():
    return {"message": "Welcome to your dashboard"}


@bp.get("/account")
def account():
    return {"message": "Your account"}
