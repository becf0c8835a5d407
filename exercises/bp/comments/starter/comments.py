"""Comments on published posts, held for moderation until a moderator approves them."""

from flask import Blueprint, abort  # noqa: F401  (you will need them)

from auth import current_user, json_body, login_required  # noqa: F401
from models import db  # noqa: F401

bp = Blueprint("comments", __name__, url_prefix="/api")

# TODO: a Comment model in models.py (id, post_id, author_id, body, status, created_at)
# TODO: register this blueprint in app.py
# TODO: POST /api/posts/<slug>/comments   -> 201, a "pending" comment (published posts only)
# TODO: GET  /api/posts/<slug>/comments   -> 200 {"comments": [...]}: approved ones only
# TODO: GET  /api/comments/pending        -> moderators and admins only
# TODO: POST /api/comments/<id>/approve   -> moderators and admins only
# TODO: POST /api/comments/<id>/reject    -> moderators and admins only
