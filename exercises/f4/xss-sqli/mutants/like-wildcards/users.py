"""Users: created and searched through a JSON API."""
from flask import Blueprint, abort, request
from sqlalchemy.exc import IntegrityError

from models import User, db

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.post("")
def create_user():
    data = request.get_json(silent=True) or {}
    username, email = data.get("username"), data.get("email")
    if not isinstance(username, str) or not username.strip() or not isinstance(email, str) or not email.strip():
        abort(400, description="username and email are required")
    user = User(username=username.strip(), email=email.strip())
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        abort(409, description="that username is taken")
    return user.to_dict(), 201


@bp.get("/search")
def search_users():
    username = request.args.get("username", "")
    if not username:
        abort(400, description="give a username to search for: /users/search?username=...")
    # The value travels as a bound parameter, separately from the SQL text: the database
    # never reads it as SQL, whatever quotes it contains. The ORM does this for you; with
    # raw SQL write text("... WHERE username = :username") and pass {"username": username}.
    users = db.session.execute(db.select(User).where(User.username.like(username)).order_by(User.id)).scalars()
    return [user.to_dict() for user in users]
