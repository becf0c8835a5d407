"""/api/auth with Flask-JWT-Extended."""
import re
from datetime import timedelta

from flask import jsonify
from flask_jwt_extended import JWTManager, create_access_token, current_user, jwt_required
from flask_restx import Namespace, Resource, abort, fields

from models import User, db

ns = Namespace("auth", path="/api/auth")
jwt_manager = JWTManager()
USERNAME = re.compile(r"[a-z0-9_]{3,30}")
TOKEN_SECONDS = 3600

credentials = ns.model("Credentials", {"username": fields.String(required=True), "password": fields.String(required=True)})
user_output = ns.model("User", {"id": fields.Integer, "username": fields.String})


def init_jwt(app):
    app.config.setdefault("JWT_ACCESS_TOKEN_EXPIRES", timedelta(seconds=TOKEN_SECONDS))
    app.config.setdefault("JWT_ALGORITHM", "HS256")
    app.config["PROPAGATE_EXCEPTIONS"] = True  # let Flask-RESTX pass JWT errors to the loaders below
    jwt_manager.init_app(app)


@jwt_manager.user_lookup_loader
def load_user(_header, claims):
    return db.session.get(User, int(claims["sub"]))


def _401(message):
    return jsonify(message=message), 401


jwt_manager.unauthorized_loader(lambda reason: _401(f"Send an access token: {reason}"))
jwt_manager.invalid_token_loader(lambda reason: _401(f"The access token is not valid: {reason}"))
jwt_manager.expired_token_loader(lambda _h, _c: _401("The access token has expired"))
jwt_manager.user_lookup_error_loader(lambda _h, _c: _401("The access token's user no longer exists"))

login_required = jwt_required()


@ns.route("/register")
class Register(Resource):
    @ns.expect(credentials, validate=True)
    @ns.marshal_with(user_output, code=201)
    def post(self):
        username, password = ns.payload["username"], ns.payload["password"]
        if not USERNAME.fullmatch(username) or not 8 <= len(password) <= 128:
            abort(400, "invalid username or password")
        if db.session.execute(db.select(User).filter_by(username=username)).first():
            abort(409, "username taken")
        user = User(username=username)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user, 201


@ns.route("/login")
class Login(Resource):
    @ns.expect(credentials, validate=True)
    def post(self):
        user = db.session.execute(db.select(User).filter_by(username=ns.payload["username"])).scalar_one_or_none()
        if user is None or not user.check_password(ns.payload["password"]):
            abort(401, "Wrong username or password")
        return {"access_token": create_access_token(identity=str(user.id)), "token_type": "Bearer", "expires_in": TOKEN_SECONDS}


@ns.route("/me")
class Me(Resource):
    @ns.doc(security="Bearer")
    @ns.marshal_with(user_output)
    @login_required
    def get(self):
        return current_user
