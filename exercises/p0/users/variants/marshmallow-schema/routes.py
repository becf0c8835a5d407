"""The API's routes, registered on the app by register_routes(app)."""

import re

from flask import request, url_for
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy.exc import IntegrityError

from models import User, db

USERNAME_RE = re.compile(r"[A-Za-z0-9_]{3,30}")
# Deliberately simple: something@something.something. The only real proof that an address
# works is an email sent to it.
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MIN_PASSWORD_LENGTH = 8


def json_body():
    """The request's JSON object, or None when the body is missing, invalid or not an object."""
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


class RegistrationSchema(Schema):
    username = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_]{3,30}\Z", error="3 to 30 letters, digits or underscores"))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=MIN_PASSWORD_LENGTH))


def validate_registration(data):
    """field -> message, from the schema's errors (a list of messages per field)."""
    try:
        RegistrationSchema().load(data)
    except ValidationError as error:
        return {field: " ".join(messages) if isinstance(messages, list) else str(messages) for field, messages in error.messages.items()}
    return {}


def register_routes(app):
    @app.get("/api")
    def api_index():
        return {"name": "Social Media API", "version": 1}

    @app.post("/api/users")
    def create_user():
        data = json_body()
        if data is None:
            return {"error": "The request body must be a JSON object"}, 400
        errors = validate_registration(data)
        if errors:
            return {"error": "Validation failed", "errors": errors}, 400

        username, email = data["username"], data["email"].strip().lower()
        if db.session.execute(db.select(User.id).where(User.username == username)).first():
            return {"error": "That username is already taken"}, 409
        if db.session.execute(db.select(User.id).where(User.email == email)).first():
            return {"error": "An account with that email already exists"}, 409

        user = User(username=username, email=email)
        user.set_password(data["password"])
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:  # another request registered the same name in between
            db.session.rollback()
            return {"error": "That username or email is already taken"}, 409
        # 201 Created: the body is the new user (never the password), Location is its URL.
        return user.to_dict(private=True), 201, {"Location": url_for("get_user", user_id=user.id)}

    @app.get("/api/users/<int:user_id>")
    def get_user(user_id):
        user = db.get_or_404(User, user_id, description=f"User {user_id} not found")
        return user.to_dict()
