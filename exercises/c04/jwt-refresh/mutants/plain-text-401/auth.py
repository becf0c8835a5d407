"""/auth: register, log in, refresh (rotation with reuse detection), log out; and GET /me.

Tokens are JWTs signed with HS256 (PyJWT). An access token lives minutes and is sent on every
request; a refresh token lives weeks, is sent only to POST /auth/refresh, and works once: each
refresh answers a new pair and marks the old refresh token used. A used one coming back means a
copy leaked, so the whole login session is revoked.
"""
import re
import time
import uuid
from datetime import timedelta

import jwt
from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.security import check_password_hash, generate_password_hash

from models import LoginSession, RefreshToken, User, db

bp = Blueprint("auth", __name__)

ALGORITHM = "HS256"
USERNAME = re.compile(r"[a-z0-9_]{3,30}")
# Compared against when the username is unknown, so both failures take as long.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AuthError(Exception):
    """No valid credentials: answered 401 with {"error": message}."""


def register_error_handlers(app):
    @app.errorhandler(AuthError)
    def unauthorized(error):
        return str(error), 401, {"WWW-Authenticate": "Bearer"}

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = jsonify(error=error.description)
        response.status_code = error.code
        return response


def _secret():
    return current_app.config.get("JWT_SECRET_KEY") or current_app.config["SECRET_KEY"]


def _lifetime(name):
    value = current_app.config[name]
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


def _encode(user_id, session_id, kind, lifetime):
    now = int(time.time())
    jti = uuid.uuid4().hex
    exp = now + int(lifetime.total_seconds())
    claims = {"sub": str(user_id), "sid": session_id, "type": kind, "jti": jti, "iat": now, "exp": exp}
    return jwt.encode(claims, _secret(), algorithm=ALGORITHM), jti, exp


def issue_pair(session):
    """A new access token and a new refresh token for this login session (the caller commits)."""
    access_lifetime = _lifetime("JWT_ACCESS_TOKEN_EXPIRES")
    access, _, _ = _encode(session.user_id, session.id, "access", access_lifetime)
    refresh, jti, exp = _encode(session.user_id, session.id, "refresh", _lifetime("JWT_REFRESH_TOKEN_EXPIRES"))
    db.session.add(RefreshToken(jti=jti, session_id=session.id, expires_at=exp))
    return {"access_token": access, "refresh_token": refresh, "token_type": "Bearer",
            "expires_in": int(access_lifetime.total_seconds())}


def bearer_claims(kind):
    """The verified claims of the request's bearer token, which must be of this kind."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthError("Send the token as Authorization: Bearer <token>")
    try:
        claims = jwt.decode(token, _secret(), algorithms=[ALGORITHM],
                            options={"require": ["sub", "iat", "exp", "jti"]})
    except jwt.ExpiredSignatureError:
        raise AuthError("The token has expired") from None
    except jwt.InvalidTokenError:
        raise AuthError("The token is not valid") from None
    if claims.get("type") != kind:
        raise AuthError(f"This needs an {kind} token" if kind == "access" else f"This needs a {kind} token")
    if not isinstance(claims.get("sid"), str):
        raise AuthError("The token is not valid")
    return claims


def live_session(claims):
    session = db.session.get(LoginSession, claims["sid"])
    if session is None or session.revoked_at is not None or str(session.user_id) != claims["sub"]:
        raise AuthError("The session has ended: log in again")
    return session


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
    username, password = _json_body()
    if username is None:
        return jsonify(error="Send {\"username\": ..., \"password\": ...}"), 400
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)  # the same work as a real check
        raise AuthError("Wrong username or password")
    if not user.check_password(password):
        raise AuthError("Wrong username or password")
    session = LoginSession(id=uuid.uuid4().hex, user_id=user.id, created_at=int(time.time()))
    db.session.add(session)
    db.session.flush()
    pair = issue_pair(session)
    db.session.commit()
    return jsonify(pair)


@bp.post("/auth/refresh")
def refresh():
    claims = bearer_claims("refresh")
    session = live_session(claims)
    now = int(time.time())
    # Mark the token used in one conditional UPDATE: of two requests racing with the same
    # refresh token, exactly one wins.
    rotated = db.session.execute(
        db.update(RefreshToken)
        .where(RefreshToken.jti == claims["jti"], RefreshToken.session_id == session.id,
               RefreshToken.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if rotated != 1:
        # Used before (or never issued here): a stolen copy is in play. End the whole session.
        session.revoked_at = now
        db.session.commit()
        raise AuthError("This refresh token was already used: the session has been revoked, log in again")
    pair = issue_pair(session)
    db.session.commit()
    return jsonify(pair)


@bp.post("/auth/logout")
def logout():
    session = live_session(bearer_claims("access"))
    session.revoked_at = int(time.time())
    db.session.commit()
    return "", 204


@bp.get("/me")
def me():
    claims = bearer_claims("access")
    session = live_session(claims)
    user = db.session.get(User, session.user_id)
    if user is None:
        raise AuthError("The token's user no longer exists")
    return jsonify(user.to_dict())
