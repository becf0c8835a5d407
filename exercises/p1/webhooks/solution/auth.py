"""/api/auth: register, log in (a JWT access token), who am I; and login_required for the tasks."""
import functools
import re
from datetime import datetime, timedelta, timezone

import jwt
from flask import current_app, g, request
from flask_restx import Namespace, Resource, abort, fields

from models import User, db

ns = Namespace("auth", description="Users and access tokens", path="/api/auth")

USERNAME = re.compile(r"[a-z0-9_]{3,30}")
TOKEN_SECONDS = 3600
ALGORITHM = "HS256"

credentials = ns.model("Credentials", {
    "username": fields.String(required=True, description="3-30 of a-z, 0-9, _", example="alice"),
    "password": fields.String(required=True, description="8-128 characters", example="correct horse"),
})
user_output = ns.model("User", {
    "id": fields.Integer(readonly=True),
    "username": fields.String,
})
token_output = ns.model("Token", {
    "access_token": fields.String(description="A JWT to send as Authorization: Bearer <token>"),
    "token_type": fields.String(example="Bearer"),
    "expires_in": fields.Integer(description="Seconds until it expires", example=TOKEN_SECONDS),
})


def issue_token(user):
    now = datetime.now(timezone.utc)
    claims = {"sub": str(user.id), "iat": now, "exp": now + timedelta(seconds=TOKEN_SECONDS)}
    return jwt.encode(claims, current_app.config["SECRET_KEY"], algorithm=ALGORITHM)


def _unauthorized(message):
    abort(401, message)


def current_user_from_token():
    """The user of the request's bearer token; answers 401 for anything else."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        _unauthorized("Send an access token: Authorization: Bearer <token>")
    try:
        claims = jwt.decode(token.strip(), current_app.config["SECRET_KEY"], algorithms=[ALGORITHM],
                            options={"require": ["exp", "iat", "sub"]})
        user_id = int(claims["sub"])
    except jwt.ExpiredSignatureError:
        _unauthorized("The access token has expired: log in again")
    except (jwt.InvalidTokenError, ValueError):
        _unauthorized("The access token is not valid")
    user = db.session.get(User, user_id)
    if user is None:
        _unauthorized("The access token's user no longer exists")
    return user


def login_required(view):
    """Resource methods behind a bearer token; the user is g.user."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        g.user = current_user_from_token()
        return view(*args, **kwargs)
    return wrapper


def _read_credentials():
    data = ns.payload
    username, password = data["username"], data["password"]
    return username, password


@ns.route("/register")
class Register(Resource):
    @ns.expect(credentials, validate=True)
    @ns.response(400, "Invalid username or password")
    @ns.response(409, "Username taken")
    @ns.marshal_with(user_output, code=201, description="User created")
    def post(self):
        """Create a user"""
        username, password = _read_credentials()
        if not USERNAME.fullmatch(username):
            abort(400, "username: 3 to 30 characters, lower-case letters, digits or _")
        if not 8 <= len(password) <= 128:
            abort(400, "password: 8 to 128 characters")
        if db.session.execute(db.select(User.id).filter_by(username=username)).first() is not None:
            abort(409, f"username {username!r} is taken")
        user = User(username=username)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user, 201


@ns.route("/login")
class Login(Resource):
    @ns.expect(credentials, validate=True)
    @ns.response(401, "Wrong username or password")
    @ns.marshal_with(token_output)
    def post(self):
        """Exchange a username and password for an access token"""
        username, password = _read_credentials()
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
        if user is None or not user.check_password(password):
            abort(401, "Wrong username or password")
        return {"access_token": issue_token(user), "token_type": "Bearer", "expires_in": TOKEN_SECONDS}


@ns.route("/me")
class Me(Resource):
    @ns.doc(security="Bearer")
    @ns.response(401, "No valid access token")
    @ns.marshal_with(user_output)
    @login_required
    def get(self):
        """The user of the access token"""
        return g.user
