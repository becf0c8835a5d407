"""Users: created and searched through a JSON API."""
from flask import Blueprint, abort, request
from sqlalchemy import text
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
    # TODO (SQL injection): the search text is pasted into the SQL with an f-string.
    # Try /users/search?username=' OR '1'='1 and see every user come back.
    rows = db.session.execute(text(f"SELECT username, email FROM user WHERE username = '{username}'"))
    return [{"username": row.username, "email": row.email} for row in rows]
