"""The admin panel: server-rendered pages for admins, every form protected by a CSRF token.

CSRFProtect (app.py) checks the token of every POST before these views run; the pages put it
in each form with {{ csrf_token() }} (or form.hidden_tag()). Jinja escapes {{ ... }} in .html
templates, so titles, usernames and comments are shown as text, never as HTML.
"""

import functools
from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired

from auth import current_user
from models import Comment, Post, User, db
from pagination import MAX_PAGE, BadPageNumber, number

bp = Blueprint("admin", __name__)

ADMIN_PER_PAGE = 20


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])
    next = HiddenField()


def admin_page():
    try:
        page = number("page", 1)
    except BadPageNumber as e:
        abort(400, str(e))
    if page > MAX_PAGE:
        abort(400, f"page must be at most {MAX_PAGE}")
    return page


def safe_next(target):
    """target when it is a path of this site ("/admin/posts"), else None: no open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def admin_required(view):
    """Nobody logged in: redirect to the login page (then back here). Not an admin: 403."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        user = current_user()
        if user is None:
            here = request.full_path if request.query_string else request.path
            return redirect(url_for("admin.login", next=here))
        if user.role != "admin":
            abort(403, "Admins only")
        return view(*args, **kwargs)

    return wrapped


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    error = None
    if form.validate_on_submit():
        user = db.session.execute(db.select(User).filter_by(username=form.username.data)).scalar_one_or_none()
        if user is not None and user.check_password(form.password.data):
            session.clear()
            session["user_id"] = user.id
            return redirect(safe_next(form.next.data) or url_for("admin.posts"))
        error = "Invalid username or password"
    status = 401 if request.method == "POST" else 200
    return render_template("login.html", form=form, error=error), status


@bp.get("/admin/posts")
@admin_required
def posts():
    page = admin_page()
    result = Post.query.order_by(Post.id.desc()).paginate(page=page, per_page=ADMIN_PER_PAGE, error_out=False)
    return render_template("admin/posts.html", posts=result.items, pagination=result, page=page)


@bp.post("/admin/posts/<int:post_id>/publish")
@admin_required
def publish(post_id):
    db.get_or_404(Post, post_id, description="No such post").publish()  # published_at: first time only
    db.session.commit()
    return redirect(url_for("admin.posts"), 303)


@bp.post("/admin/posts/<int:post_id>/unpublish")
@admin_required
def unpublish(post_id):
    db.get_or_404(Post, post_id, description="No such post").unpublish()
    db.session.commit()
    return redirect(url_for("admin.posts"), 303)


@bp.get("/admin/comments")
@admin_required
def comments():
    page = admin_page()
    result = Comment.query.filter_by(status="pending").order_by(Comment.id).paginate(page=page, per_page=ADMIN_PER_PAGE, error_out=False)
    return render_template("admin/comments.html", comments=result.items, pagination=result, page=page)


@bp.post("/admin/comments/<int:comment_id>/<any(approve, reject):action>")
@admin_required
def moderate(comment_id, action):
    comment = db.get_or_404(Comment, comment_id, description="No such comment")
    comment.status = "approved" if action == "approve" else "rejected"
    db.session.commit()
    return redirect(url_for("admin.comments"), 303)
