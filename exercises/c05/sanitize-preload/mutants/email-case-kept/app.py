"""A sign-up API that sanitises input in a marshmallow pre_load hook, then validates it."""

import html
from datetime import datetime, timezone

from flask import Flask, current_app, jsonify, request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate
from werkzeug.security import generate_password_hash


class UserSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # unknown keys (is_admin, ...) are dropped, never stored

    id = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    username = fields.String(required=True, validate=[
        validate.Length(min=3, max=30),
        validate.Regexp(r"[a-z0-9_]+\Z", error="Use lower-case letters, digits and underscores."),
    ])
    email = fields.Email(required=True)
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    bio = fields.String(load_default="", validate=validate.Length(max=500))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=8, max=128))

    @pre_load
    def sanitize(self, data, **kwargs):
        # Runs before any field is validated. Leave non-objects to marshmallow ("Invalid input type.").
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for key in ("username", "email", "display_name", "bio"):
            if isinstance(data.get(key), str):
                data[key] = data[key].strip()
        for key in ("username",):
            if isinstance(data.get(key), str):
                data[key] = data[key].lower()
        if isinstance(data.get("display_name"), str):
            data["display_name"] = " ".join(data["display_name"].split())
        if isinstance(data.get("bio"), str):
            data["bio"] = html.escape(data["bio"])  # & < > " ' become entities
        return data  # password is left exactly as typed


user_schema = UserSchema()


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["users"] = {}  # id -> user (with password_hash, never dumped)

    @app.errorhandler(ValidationError)
    def validation_failed(error):
        return jsonify(errors=error.messages), 400

    @app.post("/api/users")
    def sign_up():
        users = current_app.extensions["users"]
        data = user_schema.load(request.get_json(silent=True))
        conflicts = {}
        for key in ("username", "email"):
            if any(u[key] == data[key] for u in users.values()):
                conflicts[key] = ["Already registered."]
        if conflicts:
            return jsonify(errors=conflicts), 409
        user = {
            "id": len(users) + 1,
            "created_at": datetime.now(timezone.utc),
            "password_hash": generate_password_hash(data.pop("password")),
            **data,
        }
        users[user["id"]] = user
        return user_schema.dump(user), 201

    @app.get("/api/users")
    def list_users():
        return jsonify(user_schema.dump(current_app.extensions["users"].values(), many=True))

    @app.get("/api/users/<int:user_id>")
    def get_user(user_id):
        user = current_app.extensions["users"].get(user_id)
        if user is None:
            return jsonify(error=f"user {user_id} not found"), 404
        return user_schema.dump(user)

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
