from flask import Blueprint, abort, g

bp = Blueprint("dashboard", __name__)


@bp.before_request
def require_login():
    if g.get("user") is None:
        abort(401, description="please log in")


@bp.get("/dashboard")
def dashboard():
    return {"username": g.user.username, "message": "Hello %s" % g.user.username}


@bp.get("/account")
def account():
    return {"id": g.user.id, "username": g.user.username}
