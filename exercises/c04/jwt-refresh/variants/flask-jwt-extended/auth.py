"""/auth with Flask-JWT-Extended: the extension makes and checks the tokens; the database
(login sessions, refresh tokens) decides what is revoked, through token_in_blocklist_loader."""
import re
import time
import uuid
from datetime import timedelta

from flask import Blueprint, current_app, jsonify, request
from flask_jwt_extended import (JWTManager, create_access_token, create_refresh_token, decode_token, get_jwt,
                                jwt_required)
from werkzeug.exceptions import HTTPException
from werkzeug.security import check_password_hash, generate_password_hash

from models import LoginSession, RefreshToken, User, db

bp = Blueprint("auth", __name__)
jwt = JWTManager()

USERNAME = re.compile(r"[a-z0-9_]{3,30}")
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def _unauthorized(message):
    response = jsonify(error=message)
    response.status_code = 401
    response.headers["WWW-Authenticate"] = "Bearer"
    return response


def init_auth(app):
    app.config.setdefault("JWT_ERROR_MESSAGE_KEY", "error")
    jwt.init_app(app)
    app.register_blueprint(bp)

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = jsonify(error=error.description)
        response.status_code = error.code
        return response


# Flask-JWT-Extended answers 422 for a bad token by default: every refusal here is a 401.
@jwt.unauthorized_loader
def _missing(reason):
    return _unauthorized(f"Send the token as Authorization: Bearer <token> ({reason})")


@jwt.invalid_token_loader
def _invalid(reason):
    return _unauthorized(f"The token is not valid ({reason})")


@jwt.expired_token_loader
def _expired(jwt_header, jwt_payload):
    return _unauthorized("The token has expired")


@jwt.revoked_token_loader
def _revoked(jwt_header, jwt_payload):
    return _unauthorized("The session has ended: log in again")


@jwt.token_in_blocklist_loader
def _session_revoked(jwt_header, jwt_payload):
    """Every token carries its login session's id (sid); a revoked session revokes them all."""
    sid = jwt_payload.get("sid")
    session = db.session.get(LoginSession, sid) if isinstance(sid, str) else None
    return session is None or session.revoked_at is not None or str(session.user_id) != jwt_payload.get("sub")


def _seconds(lifetime):
    return int(lifetime.total_seconds()) if isinstance(lifetime, timedelta) else int(lifetime)


def issue_pair(session):
    identity = str(session.user_id)
    claims = {"sid": session.id}
    access = create_access_token(identity=identity, additional_claims=claims)
    refresh = create_refresh_token(identity=identity, additional_claims=claims)
    decoded = decode_token(refresh, allow_expired=True)
    db.session.add(RefreshToken(jti=decoded["jti"], session_id=session.id, expires_at=decoded["exp"]))
    return {"access_token": access, "refresh_token": refresh, "token_type": "Bearer",
            "expires_in": _seconds(current_app.config["JWT_ACCESS_TOKEN_EXPIRES"])}


def _credentials():
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("username"), str) or not isinstance(data.get("password"), str):
        return None, None
    return data["username"], data["password"]


@bp.post("/auth/register")
def register():
    username, password = _credentials()
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
    username, password = _credentials()
    if username is None:
        return jsonify(error="Send {\"username\": ..., \"password\": ...}"), 400
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)  # the same work as a real check
        return _unauthorized("Wrong username or password")
    if not user.check_password(password):
        return _unauthorized("Wrong username or password")
    session = LoginSession(id=uuid.uuid4().hex, user_id=user.id, created_at=int(time.time()))
    db.session.add(session)
    db.session.flush()
    pair = issue_pair(session)
    db.session.commit()
    return jsonify(pair)


@bp.post("/auth/refresh")
@jwt_required(refresh=True)
def refresh():
    claims = get_jwt()
    session = db.session.get(LoginSession, claims["sid"])  # live: the blocklist loader checked it
    token = db.session.get(RefreshToken, claims["jti"])
    now = int(time.time())
    if token is None or token.session_id != session.id or token.used_at is not None:
        session.revoked_at = now  # a used refresh token came back: end the whole session
        db.session.commit()
        return _unauthorized("This refresh token was already used: the session has been revoked, log in again")
    token.used_at = now
    pair = issue_pair(session)
    db.session.commit()
    return jsonify(pair)


@bp.post("/auth/logout")
@jwt_required()
def logout():
    session = db.session.get(LoginSession, get_jwt()["sid"])
    session.revoked_at = int(time.time())
    db.session.commit()
    return "", 204


@bp.get("/me")
@jwt_required()
def me():
    user = db.session.get(User, int(get_jwt()["sub"]))
    if user is None:
        return _unauthorized("The token's user no longer exists")
    return jsonify(user.to_dict())
