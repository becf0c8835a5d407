from flask import Blueprint, abort, g, request

from models import ROLES, User, db

bp = Blueprint("admin", __name__, url_prefix="/admin")


def require_role(role):
    if g.user is None:
        abort(401, description="authentication required")
    if g.user.role != role:
        abort(403, description="admins only")


@bp.route("", methods=["GET"])
def index():
    require_role("admin")
    return {"users": [u.to_dict() for u in User.query.order_by(User.id).all()]}


@bp.route("/users/<int:user_id>/role", methods=["POST"])
def set_role(user_id):
    require_role("admin")
    user = User.query.get_or_404(user_id)
    payload = request.get_json(silent=True)
    new_role = payload.get("role") if isinstance(payload, dict) else None
    if new_role not in ROLES:
        abort(400, description="unknown role")
    user.role = new_role
    db.session.commit()
    return user.to_dict()
