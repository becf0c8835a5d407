"""/auth: register (done), log in, refresh, log out; and GET /me.

TODO (see the brief's numbered requirements):
- POST /auth/login: an access token and a refresh token (JWT, HS256), lifetimes read from
  app.config["JWT_ACCESS_TOKEN_EXPIRES"] and app.config["JWT_REFRESH_TOKEN_EXPIRES"];
- GET /me: only with a valid, unexpired, unrevoked *access* token;
- POST /auth/refresh: a refresh token buys a new pair, once (rotation); a used one coming back
  revokes the whole login session (reuse detection);
- POST /auth/logout: ends the login session of the access token;
- every refusal: 401 with {"error": "..."}.
Use PyJWT (import jwt) or Flask-JWT-Extended.
"""
import re

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import HTTPException

from models import User, db

bp = Blueprint("auth", __name__)

USERNAME = re.compile(r"[a-z0-9_]{3,30}")


def register_error_handlers(app):
    @app.errorhandler(HTTPException)
    def http_error(error):
        response = jsonify(error=error.description)
        response.status_code = error.code
        return response


def _json_body():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return None, None
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        return None, None
    return username, password


@bp.post("/auth/register")
def register():
    username, password = _json_body()
    if username is None or not USERNAME.fullmatch(username) or not 8 <= len(password) <= 128:
        return jsonify(error="username: 3-30 of a-z, 0-9, _; password: 8-128 characters"), 400
    if db.session.execute(db.select(User.id).filter_by(username=username)).first() is not None:
        return jsonify(error=f"username {username!r} is taken"), 409
    user = User(username=username)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return jsonify(user.to_dict()), 201


@bp.post("/auth/login")
def login():
    # TODO: check the password, start a login session, answer the token pair
    return jsonify(error="POST /auth/login is not written yet"), 501


@bp.post("/auth/refresh")
def refresh():
    # TODO: rotate the refresh token; detect reuse
    return jsonify(error="POST /auth/refresh is not written yet"), 501


@bp.post("/auth/logout")
def logout():
    # TODO: revoke the access token's login session
    return jsonify(error="POST /auth/logout is not written yet"), 501


@bp.get("/me")
def me():
    # TODO: only with a valid access token
    return jsonify(error="GET /me is not written yet"), 501
