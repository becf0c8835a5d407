"""Accounts: register, log in, log out, who am I. Sessions remember the user's id."""

from flask import Blueprint, request, session  # noqa: F401  (you will need them)

from models import User, db  # noqa: F401

bp = Blueprint("auth", __name__, url_prefix="/api/auth")

# TODO: POST /api/auth/register -> 201 {"id", "username"}; 400 on invalid data; 409 if taken
# TODO: POST /api/auth/login    -> 200 with the user and session["user_id"]; 401 otherwise
# TODO: POST /api/auth/logout   -> 204, the session cleared
# TODO: GET  /api/auth/me       -> 200 with the logged-in user; 401 when nobody is logged in
