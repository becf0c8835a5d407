"""A sign-up API that validates raw input and echoes everything back. Sanitise first, then validate."""

from datetime import datetime, timezone

from flask import Flask, current_app, jsonify, request
from marshmallow import Schema, ValidationError, fields, pre_load, validate  # noqa: F401
from werkzeug.security import generate_password_hash


class UserSchema(Schema):
    # TODO: unknown fields are dropped (EXCLUDE), not rejected

    id = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    username = fields.String(required=True, validate=[
        validate.Length(min=3, max=30),
        validate.Regexp(r"[a-z0-9_]+\Z", error="Use lower-case letters, digits and underscores."),
    ])
    email = fields.Email(required=True)
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    bio = fields.String(load_default="", validate=validate.Length(max=500))
    # TODO: the password must never appear in an answer
    password = fields.String(required=True, validate=validate.Length(min=8, max=128))

    # TODO: a @pre_load hook that strips, lower-cases, collapses spaces and escapes HTML


user_schema = UserSchema()


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["users"] = {}

    @app.errorhandler(ValidationError)
    def validation_failed(error):
        return jsonify(errors=error.messages), 400

    @app.post("/api/users")
    def sign_up():
        users = current_app.extensions["users"]
        data = user_schema.load(request.get_json(silent=True))
        # TODO: 409 when the username or the email is already registered
        user = {
            "id": len(users) + 1,
            "created_at": datetime.now(timezone.utc),
            "password_hash": generate_password_hash(data["password"]),
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
