"""The token routes as MethodViews; tokens made with PyJWT; families revoked in the database."""
import re
import uuid
from datetime import datetime, timedelta, timezone

import jwt
from flask import abort, current_app, jsonify, request
from flask.views import MethodView

from models import IssuedRefreshToken, User, db

USERNAME = re.compile(r"[a-z0-9_]{3,30}")


class AuthError(Exception):
    pass


def _seconds(name):
    value = current_app.config[name]
    return int(value.total_seconds()) if isinstance(value, timedelta) else int(value)


def _token(user_id, family, kind, seconds):
    now = datetime.now(timezone.utc)
    jti = str(uuid.uuid4())
    claims = {"sub": str(user_id), "fam": family, "kind": kind, "jti": jti,
              "iat": now, "exp": now + timedelta(seconds=seconds)}
    return jwt.encode(claims, current_app.config["SECRET_KEY"], algorithm="HS256"), jti


def new_pair(user_id, family):
    access_seconds = _seconds("JWT_ACCESS_TOKEN_EXPIRES")
    access, _ = _token(user_id, family, "access", access_seconds)
    refresh, jti = _token(user_id, family, "refresh", _seconds("JWT_REFRESH_TOKEN_EXPIRES"))
    db.session.add(IssuedRefreshToken(jti=jti, family=family, user_id=user_id))
    return {"access_token": access, "refresh_token": refresh, "token_type": "Bearer", "expires_in": access_seconds}


def verified(kind):
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer ") or not header[7:].strip():
        raise AuthError("missing bearer token")
    try:
        claims = jwt.decode(header[7:].strip(), current_app.config["SECRET_KEY"], algorithms=["HS256"],
                            options={"require": ["exp", "iat", "sub", "jti"]})
    except jwt.ExpiredSignatureError:
        raise AuthError("token expired") from None
    except jwt.PyJWTError:
        raise AuthError("invalid token") from None
    if claims.get("kind") != kind or not isinstance(claims.get("fam"), str):
        raise AuthError(f"{kind} token required")
    if IssuedRefreshToken.family_is_revoked(claims["fam"]):
        raise AuthError("session revoked")
    return claims


def credentials():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, "send a JSON object")
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        abort(400, "username and password (strings) are required")
    return username, password


class RegisterView(MethodView):
    def post(self):
        username, password = credentials()
        if not USERNAME.fullmatch(username) or not 8 <= len(password) <= 128:
            abort(400, "username: 3-30 of a-z, 0-9, _; password: 8-128 characters")
        if User.query.filter_by(username=username).first():
            abort(409, "username taken")
        user = User(username=username)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return jsonify(id=user.id, username=user.username), 201


class LoginView(MethodView):
    def post(self):
        username, password = credentials()
        user = User.query.filter_by(username=username).first()
        if user is None or not user.check_password(password):
            raise AuthError("wrong username or password")
        pair = new_pair(user.id, str(uuid.uuid4()))
        db.session.commit()
        return jsonify(pair)


class RefreshView(MethodView):
    def post(self):
        claims = verified("refresh")
        row = IssuedRefreshToken.query.get(claims["jti"])
        if row is None or row.exchanged:
            IssuedRefreshToken.revoke_family(claims["fam"])
            db.session.commit()
            raise AuthError("refresh token reuse: session revoked")
        row.exchanged = True
        pair = new_pair(row.user_id, row.family)
        db.session.commit()
        return jsonify(pair)


class LogoutView(MethodView):
    def post(self):
        IssuedRefreshToken.revoke_family(verified("access")["fam"])
        db.session.commit()
        return "", 204


class MeView(MethodView):
    def get(self):
        user = User.query.get(int(verified("access")["sub"]))
        if user is None:
            raise AuthError("unknown user")
        return jsonify(id=user.id, username=user.username)


def register_views(app):
    app.add_url_rule("/auth/register", view_func=RegisterView.as_view("register"))
    app.add_url_rule("/auth/login", view_func=LoginView.as_view("login"))
    app.add_url_rule("/auth/refresh", view_func=RefreshView.as_view("refresh"))
    app.add_url_rule("/auth/logout", view_func=LogoutView.as_view("logout"))
    app.add_url_rule("/me", view_func=MeView.as_view("me"))
