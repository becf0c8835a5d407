from flask import Blueprint
from flask_login import current_user, login_required

bp = Blueprint("dashboard", __name__)


@bp.get("/dashboard")
@login_required
def dashboard():
    return {"username": current_user.username, "message": "Welcome, %s" % current_user.username}


@bp.get("/account")
@login_required
def account():
    return {"id": current_user.id, "username": current_user.username}
