"""Sign-up API: a table of cleaner functions applied by one pre_load hook, MethodView, a module-level store."""

import html
from datetime import datetime, timezone

from flask import Flask, jsonify, request
from flask.views import MethodView
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate
from werkzeug.security import generate_password_hash


def collapse(text):
    return " ".join(text.split())


CLEANERS = {
    "username": [str.strip, str.lower],
    "email": [str.strip, str.lower],
    "display_name": [collapse],
    "bio": [str.strip, html.escape],
}


class UserSchema(Schema):
    id = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    username = fields.String(required=True, validate=validate.And(validate.Length(min=3, max=30),
                                                                  validate.Regexp(r"[a-z0-9_]+\Z")))
    email = fields.Email(required=True)
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    bio = fields.String(load_default="", validate=validate.Length(max=500))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=8, max=128))

    @pre_load
    def clean(self, data, many=False, partial=None, **kwargs):
        if not isinstance(data, dict):
            return data
        cleaned = dict(data)
        for key, steps in CLEANERS.items():
            value = cleaned.get(key)
            if isinstance(value, str):
                for step in steps:
                    value = step(value)
                cleaned[key] = value
        return cleaned


USERS = {}
schema = UserSchema(unknown=EXCLUDE)


class UserList(MethodView):
    def get(self):
        return jsonify(schema.dump(list(USERS.values()), many=True))

    def post(self):
        try:
            data = schema.load(request.get_json(silent=True))
        except ValidationError as err:
            return jsonify(errors=err.messages), 400
        clashes = {}
        for key in ("username", "email"):
            if any(u[key] == data[key] for u in USERS.values()):
                clashes[key] = ["Already registered."]
        if clashes:
            return jsonify(errors=clashes), 409
        password = data.pop("password")
        user = dict(data, id=len(USERS) + 1, created_at=datetime.now(timezone.utc),
                    password_hash=generate_password_hash(password))
        USERS[user["id"]] = user
        return jsonify(schema.dump(user)), 201


class UserDetail(MethodView):
    def get(self, user_id):
        if user_id not in USERS:
            return jsonify(error="not found"), 404
        return jsonify(schema.dump(USERS[user_id]))


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})
    USERS.clear()
    app.add_url_rule("/api/users", view_func=UserList.as_view("users"))
    app.add_url_rule("/api/users/<int:user_id>", view_func=UserDetail.as_view("user"))
    return app
