"""Session authentication with Flask-Login, behind the same small helpers the routes use."""
import flask_login
from flask import session

from models import User, db

login_manager = flask_login.LoginManager()


@login_manager.user_loader
def load_user(user_id):
    return db.session.get(User, int(user_id))


@login_manager.unauthorized_handler
def unauthorized():
    return {"error": "Authentication required"}, 401


def login_user(user):
    session.clear()
    flask_login.login_user(user)


def logout_user():
    flask_login.logout_user()
    session.clear()


def current_user():
    user = flask_login.current_user
    return user if user.is_authenticated else None


login_required = flask_login.login_required
