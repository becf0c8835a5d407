"""Two blueprints: public comments, and a moderation blueprint guarded by before_request."""

from flask import Blueprint, abort, g
from flask.views import MethodView

from auth import current_user, json_body, login_required
from models import Comment, Post, db

bp = Blueprint("comments", __name__, url_prefix="/api/posts/<slug>/comments")
moderation = Blueprint("moderation", __name__, url_prefix="/api/comments")


@bp.url_value_preprocessor
def load_post(endpoint, values):
    g.post = db.session.scalars(db.select(Post).where(Post.slug == values.pop("slug"), Post.status == "published")).first()


class CommentsView(MethodView):
    def get(self):
        if g.post is None:
            abort(404, "No such post")
        rows = db.session.scalars(db.select(Comment).where(Comment.post_id == g.post.id, Comment.status == "approved").order_by(Comment.id))
        return {"comments": [c.to_dict() for c in rows]}

    @login_required
    def post(self):
        if g.post is None:
            abort(404, "No such post")
        text = (json_body() or {}).get("body")
        text = text.strip() if isinstance(text, str) else ""
        if not text or len(text) > 1000:
            return {"error": "A comment is 1 to 1000 characters"}, 400
        comment = Comment(post_id=g.post.id, author_id=current_user().id, body=text)
        db.session.add(comment)
        db.session.commit()
        return comment.to_dict(), 201


bp.add_url_rule("", view_func=CommentsView.as_view("comments"))


@moderation.before_request
def staff_only():
    user = current_user()
    if user is None:
        return {"error": "Authentication required"}, 401
    if user.role not in {"moderator", "admin"}:
        return {"error": "Moderators only"}, 403


@moderation.get("/pending")
def pending():
    rows = db.session.scalars(db.select(Comment).where(Comment.status == "pending").order_by(Comment.id))
    return {"comments": [c.to_dict() for c in rows]}


def _set(comment_id, status):
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404, "No such comment")
    comment.status = status
    db.session.commit()
    return comment.to_dict()


@moderation.post("/<int:comment_id>/approve")
def approve(comment_id):
    return _set(comment_id, "approved")


@moderation.post("/<int:comment_id>/reject")
def reject(comment_id):
    return _set(comment_id, "rejected")
