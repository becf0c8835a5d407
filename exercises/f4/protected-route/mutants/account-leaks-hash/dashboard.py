"""Pages for logged-in users only."""
from flask import Blueprint, g

from auth import login_required

bp = Blueprint("dashboard", __name__)


# @bp.get(...) must be the outermost decorator: it registers whatever is below it,
# here the view already wrapped by login_required.
@bp.get("/dashboard")
@login_required
def dashboard():
    return {"username": g.user.username, "message": f"Welcome back, {g.user.username}!"}


@bp.get("/account")
@login_required
def account():
    return {**g.user.to_dict(), "password_hash": g.user.password_hash}
