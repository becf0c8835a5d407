"""The posts blueprint: posts CRUD, newest first, one page at a time."""

from flask import Blueprint  # noqa: F401

# TODO: bp = Blueprint("posts", ...) and move the posts routes here from routes.py
#       (with the helpers only they use).
