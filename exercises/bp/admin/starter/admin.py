"""The admin panel: server-rendered pages for admins, every form protected by a CSRF token.

Templates go in templates/ (create the folder): for example templates/base.html,
templates/login.html, templates/admin/posts.html and templates/admin/comments.html.
Jinja escapes {{ ... }} in .html templates: never add |safe to what users wrote.
"""

from flask import Blueprint, abort, redirect, render_template, request, url_for  # noqa: F401

from auth import current_user  # noqa: F401
from models import Comment, Post, User, db  # noqa: F401

bp = Blueprint("admin", __name__)

# TODO: in app.py: csrf = CSRFProtect() (flask_wtf.csrf), csrf.init_app(app), exempt the JSON
#       API blueprints (auth, posts, comments), register this blueprint
# TODO: admin_required: nobody logged in -> redirect to /login?next=<path>; role not "admin" -> 403
# TODO: GET/POST /login                       -> the login form; redirect to next (local paths only)
# TODO: GET  /admin/posts                     -> every post, newest first, publish/unpublish forms
# TODO: POST /admin/posts/<id>/publish        -> redirect to /admin/posts
# TODO: POST /admin/posts/<id>/unpublish      -> redirect to /admin/posts
# TODO: GET  /admin/comments                  -> pending comments, oldest first, approve/reject forms
# TODO: POST /admin/comments/<id>/approve     -> redirect to /admin/comments
# TODO: POST /admin/comments/<id>/reject      -> redirect to /admin/comments
