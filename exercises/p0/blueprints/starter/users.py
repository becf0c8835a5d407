"""The users blueprint: registration, profiles and the session (login, logout, me)."""

from flask import Blueprint  # noqa: F401

# TODO: bp = Blueprint("users", ...) and move the users, login, logout and me routes here
#       from routes.py (with the helpers only they use).
