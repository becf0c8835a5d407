"""Tasks: each one belongs to the user who created it."""

from flask import Blueprint, request  # noqa: F401  (you will need it)

from auth import current_user, login_required  # noqa: F401
from models import db  # noqa: F401

bp = Blueprint("tasks", __name__, url_prefix="/api/tasks")

# TODO: a Task model in models.py (id, title, description, status, user_id -> user.id)
# TODO: register this blueprint in app.py
# TODO: POST /api/tasks -> 201 with the new task; 400 on invalid data; 401 when logged out
# TODO: GET  /api/tasks -> 200 {"tasks": [...]}: the logged-in user's tasks only, oldest first
