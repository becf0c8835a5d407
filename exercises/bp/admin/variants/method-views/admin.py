"""The admin panel as class-based views with decorators = [admin_required]."""

import functools

from flask import abort, redirect, render_template, request, session, url_for
from flask.views import MethodView, View

from auth import current_user
from models import Comment, Post, User, db


def admin_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        user = current_user()
        if user is None:
            return redirect(url_for("login", next=request.path))
        if user.role != "admin":
            abort(403, "Admins only")
        return view(*args, **kwargs)

    return wrapped


class LoginView(MethodView):
    def get(self):
        return render_template("login.html", next=request.args.get("next", ""), error=None)

    def post(self):
        name, password = request.form.get("username", ""), request.form.get("password", "")
        user = db.session.scalars(db.select(User).where(User.username == name)).first()
        if user is None or not user.check_password(password):
            return render_template("login.html", next=request.form.get("next", ""), error="Invalid username or password"), 401
        session.clear()
        session["user_id"] = user.id
        target = request.form.get("next", "")
        ok = target.startswith("/") and not target.startswith("//") and "\\" not in target
        return redirect(target if ok else url_for("admin_posts"))


class PostsPage(MethodView):
    decorators = [admin_required]

    def get(self):
        return render_template("admin/posts.html", posts=db.session.scalars(db.select(Post).order_by(Post.id.desc())).all())


class PostAction(View):
    methods = ["POST"]
    decorators = [admin_required]

    def __init__(self, action):
        self.action = action

    def dispatch_request(self, post_id):
        post = db.session.get(Post, post_id)
        if post is None:
            abort(404, "No such post")
        getattr(post, self.action)()
        db.session.commit()
        return redirect(url_for("admin_posts"), 303)


class CommentsPage(MethodView):
    decorators = [admin_required]

    def get(self):
        pending = db.session.scalars(db.select(Comment).where(Comment.status == "pending").order_by(Comment.id)).all()
        return render_template("admin/comments.html", comments=pending)


class CommentAction(View):
    methods = ["POST"]
    decorators = [admin_required]

    def dispatch_request(self, comment_id, action):
        comment = db.session.get(Comment, comment_id)
        if comment is None:
            abort(404, "No such comment")
        comment.status = {"approve": "approved", "reject": "rejected"}[action]
        db.session.commit()
        return redirect(url_for("admin_comments"), 303)


def register_admin(app):
    app.add_url_rule("/login", view_func=LoginView.as_view("login"))
    app.add_url_rule("/admin/posts", view_func=PostsPage.as_view("admin_posts"))
    for action in ("publish", "unpublish"):
        app.add_url_rule(f"/admin/posts/<int:post_id>/{action}", view_func=PostAction.as_view(f"admin_{action}", action))
    app.add_url_rule("/admin/comments", view_func=CommentsPage.as_view("admin_comments"))
    app.add_url_rule("/admin/comments/<int:comment_id>/<any(approve, reject):action>", view_func=CommentAction.as_view("admin_moderate"))
