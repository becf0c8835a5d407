"""A tiny JSON API over the User model (given: the exercise is about the model)."""
from flask import Blueprint, request
from sqlalchemy.exc import IntegrityError

from models import User, db

bp = Blueprint("users", __name__)


@bp.post("/users")
def create_user():
    data = request.get_json(silent=True) or {}
    username = (data.get("username") or "").strip()
    email = (data.get("email") or "").strip()
    if not username or not email:
        return {"error": "username and email are required"}, 400

    user = User(username=username, email=email)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        # The UNIQUE constraint on user.username refused the row.
        db.session.rollback()
        return {"error": f"the username {username!r} is already taken"}, 409
    return user.to_dict(), 201


@bp.get("/users")
def list_users():
    users = db.session.execute(db.select(User).order_by(User.id)).scalars()
    return [user.to_dict() for user in users]


@bp.get("/users/<int:user_id>")
def get_user(user_id):
    return db.get_or_404(User, user_id).to_dict()
