import re

from flask import Blueprint, request
from flask.views import MethodView
from sqlalchemy.exc import IntegrityError

from models import User, db

bp = Blueprint("users", __name__, url_prefix="/api")


def check_username(v):
    return None if isinstance(v, str) and re.fullmatch(r"\w{3,30}", v, flags=re.ASCII) else "use 3-30 letters, digits or _"


def check_email(v):
    return None if isinstance(v, str) and re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v.strip()) else "invalid email"


def check_password(v):
    return None if isinstance(v, str) and len(v) >= 8 else "8 characters at least"


CHECKS = {"username": check_username, "email": check_email, "password": check_password}


class UserList(MethodView):
    def post(self):
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return {"error": "JSON object expected"}, 400
        errors = {k: msg for k, f in CHECKS.items() if (msg := f(data.get(k)))}
        if errors:
            return {"error": "invalid fields", "errors": errors}, 400
        user = User(username=data["username"], email=data["email"].strip().lower())
        user.set_password(data["password"])
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return {"error": "username or email already registered"}, 409
        return user.to_dict(private=True), 201


class UserItem(MethodView):
    def get(self, user_id):
        user = User.query.get(user_id)
        if user is None:
            return {"error": "no such user"}, 404
        return user.to_dict()


bp.add_url_rule("/users", view_func=UserList.as_view("user_list"))
bp.add_url_rule("/users/<int:user_id>", view_func=UserItem.as_view("get_user"))


def register_routes(app):
    @app.get("/api")
    def api_index():
        return {"name": "Social Media API", "version": 1}

    app.register_blueprint(bp)
