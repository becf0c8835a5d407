"""The API's routes, registered on the app by register_routes(app)."""

import re

from flask import request, url_for
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


def validate_registration(data):
    """Return a dict field -> message for every invalid field."""
    errors = {}
    username, email, password = data.get("username"), data.get("email"), data.get("password")
    if not isinstance(username, str) or not USERNAME_RE.fullmatch(username):
        errors["username"] = "3 to 30 characters: letters, digits and underscores only"
    if errors:
        return errors
    if not isinstance(email, str) or len(email) > 254 or not EMAIL_RE.fullmatch(email.strip()):
        errors["email"] = "a valid email address is required"
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = f"at least {MIN_PASSWORD_LENGTH} characters"
    return errors


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
