"""Sign-up API: sanitisation inside custom Field classes (_deserialize runs before the field's validators),
a blueprint; no pre_load hook."""

import html
from datetime import datetime, timezone

from flask import Blueprint, Flask, current_app, jsonify, request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from werkzeug.security import generate_password_hash


class Trimmed(fields.String):
    """A string without surrounding whitespace (cleaned before the validators run)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Lowered(Trimmed):
    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).lower()


class LoweredEmail(fields.Email):
    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.strip().lower()
        return super()._deserialize(value, attr, data, **kwargs)


class OneLine(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        return " ".join(super()._deserialize(value, attr, data, **kwargs).split())


class EscapedText(Trimmed):
    def _deserialize(self, value, attr, data, **kwargs):
        return html.escape(super()._deserialize(value, attr, data, **kwargs))


class UserSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.Int(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    username = Lowered(required=True, validate=[validate.Length(3, 30), validate.Regexp(r"^[a-z0-9_]+\Z")])
    email = LoweredEmail(required=True)
    display_name = OneLine(required=True, validate=validate.Length(1, 50))
    bio = EscapedText(load_default="", validate=validate.Length(max=500))
    password = fields.Str(required=True, load_only=True, validate=validate.Length(8, 128))


schema = UserSchema()
bp = Blueprint("users", __name__, url_prefix="/api/users")


@bp.errorhandler(ValidationError)
def invalid(error):
    return jsonify(errors=error.messages), 400


@bp.post("")
def sign_up():
    users = current_app.extensions["users"]
    data = schema.load(request.get_json(silent=True))
    clashes = {k: ["Already registered."] for k in ("username", "email") if any(u[k] == data[k] for u in users)}
    if clashes:
        return jsonify(errors=clashes), 409
    data["password_hash"] = generate_password_hash(data.pop("password"))
    data.update(id=len(users) + 1, created_at=datetime.now(timezone.utc))
    users.append(data)
    return jsonify(schema.dump(data)), 201


@bp.get("")
def index():
    return jsonify(schema.dump(current_app.extensions["users"], many=True))


@bp.get("/<int:user_id>")
def show(user_id):
    users = current_app.extensions["users"]
    if not 1 <= user_id <= len(users):
        return jsonify(error="not found"), 404
    return jsonify(schema.dump(users[user_id - 1]))


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})
    app.extensions["users"] = []
    app.register_blueprint(bp)
    return app
