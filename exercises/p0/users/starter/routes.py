"""The API's routes, registered on the app by register_routes(app)."""

from flask import request  # noqa: F401  (you will need it)

from models import User, db  # noqa: F401


def register_routes(app):
    @app.get("/api")
    def api_index():
        return {"name": "Social Media API", "version": 1}

    # TODO: POST /api/users -> validate username, email and password;
    #       201 with the new user (no password!), 400 with {"errors": {...}}, 409 if taken

    # TODO: GET /api/users/<int:user_id> -> the public profile (id, username), or 404
