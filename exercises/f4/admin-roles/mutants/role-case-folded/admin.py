"""The admin area: only for users whose role is "admin"."""
from flask import Blueprint, abort, request

from auth import roles_required
from models import ROLES, User, db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("")
@roles_required("admin")
def index():
    users = db.session.execute(db.select(User).order_by(User.id)).scalars()
    return {"users": [user.to_dict() for user in users]}


@bp.post("/users/<int:user_id>/role")
@roles_required("admin")
def set_role(user_id):
    user = db.get_or_404(User, user_id)
    role = str((request.get_json(silent=True) or {}).get("role", "")).strip().lower()
    if role not in ROLES:
        abort(400, description=f"role must be one of: {', '.join(ROLES)}")
    user.role = role
    db.session.commit()
    return user.to_dict()
