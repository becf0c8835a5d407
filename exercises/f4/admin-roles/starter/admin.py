"""The admin area: only for users whose role is "admin"."""
from flask import Blueprint, abort, request  # noqa: F401 - for you

from auth import roles_required  # noqa: F401 - for you
from models import ROLES, User, db  # noqa: F401 - for you

bp = Blueprint("admin", __name__, url_prefix="/admin")

# TODO: two routes, for admins only (@roles_required("admin") under the route decorator):
#
#   GET /admin
#       -> 200 {"users": [{"id": 1, "username": "ada", "role": "admin"}, ...]}
#
#   POST /admin/users/<user_id>/role with {"role": "admin"} (or "user")
#       -> 200 and the updated user; 400 for a role that is not in ROLES;
#          404 when the user does not exist.
#
# Anonymous visitors get 401 and logged-in users who are not admins get 403.
