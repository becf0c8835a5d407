from flask import Blueprint, abort, g, request

from models import ROLES, User, db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def admins_only():
    user = g.get("user")
    if user is None:
        abort(401, description="log in first")
    if user.role != "admin":
        abort(403, description="forbidden")


@bp.get("")
def index():
    return {"users": [u.to_dict() for u in db.session.scalars(db.select(User).order_by(User.id))]}


@bp.post("/users/<int:user_id>/role")
def set_role(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404, description="no such user")
    role = (request.get_json(silent=True) or {}).get("role")
    if role not in ROLES:
        abort(400, description="role must be admin or user")
    user.role = role
    db.session.commit()
    return user.to_dict()
