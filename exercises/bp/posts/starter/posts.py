"""Posts: drafts and published posts, reached by their slug."""

from flask import Blueprint, abort, request  # noqa: F401  (you will need them)

from auth import current_user, json_body, login_required  # noqa: F401
from models import db  # noqa: F401

bp = Blueprint("posts", __name__, url_prefix="/api/posts")

# TODO: slugify(title) and a unique slug (-2, -3, ... when it is taken)
# TODO: POST  /api/posts         -> 201 with the new post (a draft unless status is "published")
# TODO: GET   /api/posts         -> 200 {"posts": [...]}: published posts only, newest first
# TODO: GET   /api/posts/<slug>  -> 200; a draft is 404 for everyone but its author
# TODO: PATCH /api/posts/<slug>  -> 200 for the author: title, body, status (publish/unpublish)
