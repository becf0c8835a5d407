"""The login page and the admin panel: FlaskForms (no CSRFProtect), the role checked in before_request."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from auth import current_user
from forms import ActionForm, LoginForm
from models import Comment, Post, User, db

pages_bp = Blueprint("pages", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")


def local_path(target):
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not (target or "").startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@pages_bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "POST":
        if not form.validate():
            if form.csrf_token.errors:
                abort(400, "The form's CSRF token is missing or invalid")
            return render_template("login.html", form=form, error="Fill in both fields"), 400
        user = db.session.scalars(db.select(User).where(User.username == form.username.data)).first()
        if user is None or not user.check_password(form.password.data):
            return render_template("login.html", form=form, error="Invalid username or password"), 401
        session.clear()
        session["user_id"] = user.id
        return redirect(local_path(request.args.get("next")) or url_for("admin.posts"))
    return render_template("login.html", form=form, error=None)


@admin_bp.before_request
def admins_only():
    user = current_user()
    if user is None:
        return redirect(url_for("pages.login", next=request.path))
    if user.role != "admin":
        abort(403, "Admins only")
    if request.method == "POST" and not ActionForm().validate_on_submit():
        abort(400, "The form's CSRF token is missing or invalid")


@admin_bp.get("/posts")
def posts():
    rows = db.session.scalars(db.select(Post).order_by(Post.id.desc())).all()
    return render_template("posts.html", posts=rows, form=ActionForm())


@admin_bp.post("/posts/<int:post_id>/<any(publish, unpublish):action>")
def change_post(post_id, action):
    post = db.session.get(Post, post_id) or abort(404, "No such post")
    post.publish() if action == "publish" else post.unpublish()
    db.session.commit()
    return redirect(url_for("admin.posts"))


@admin_bp.get("/comments")
def comments():
    rows = db.session.scalars(db.select(Comment).where(Comment.status == "pending").order_by(Comment.id)).all()
    return render_template("comments.html", comments=rows, form=ActionForm())


@admin_bp.post("/comments/<int:comment_id>/approve")
def approve(comment_id):
    return moderate(comment_id, "approved")


@admin_bp.post("/comments/<int:comment_id>/reject")
def reject(comment_id):
    return moderate(comment_id, "rejected")


def moderate(comment_id, status):
    comment = db.session.get(Comment, comment_id) or abort(404, "No such comment")
    comment.status = status
    db.session.commit()
    return redirect(url_for("admin.comments"))
