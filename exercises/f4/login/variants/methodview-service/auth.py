"""The authentication endpoints as class-based views."""
from flask import Blueprint, request, session
from flask.views import MethodView

from models import User, db
from services import AccountError, authenticate, create_account

bp = Blueprint("auth", __name__)


@bp.app_errorhandler(AccountError)
def account_error(error):
    return {"error": error.message}, error.status


def credentials():
    data = request.get_json(silent=True)
    data = data if isinstance(data, dict) else {}
    username, password = data.get("username"), data.get("password")
    if not (isinstance(username, str) and username.strip() and isinstance(password, str) and password):
        raise AccountError(400, "username and password are required")
    return username.strip(), password


def public(user):
    return {"id": user.id, "username": user.username}


class Register(MethodView):
    def post(self):
        return public(create_account(*credentials())), 201


class Login(MethodView):
    def post(self):
        user = authenticate(*credentials())
        session.clear()
        session["user_id"] = user.id
        return public(user), 200


class Logout(MethodView):
    def post(self):
        session.clear()
        return {"logged_out": True}, 200


class Me(MethodView):
    def get(self):
        user = db.session.get(User, session.get("user_id", -1))
        if user is None:
            raise AccountError(401, "log in first")
        return public(user)


bp.add_url_rule("/register", view_func=Register.as_view("register"))
bp.add_url_rule("/login", view_func=Login.as_view("login"))
bp.add_url_rule("/logout", view_func=Logout.as_view("logout"))
bp.add_url_rule("/me", view_func=Me.as_view("me"))
