"""Comments on published posts, held for moderation until a moderator approves them."""

from flask import Blueprint, abort

from auth import current_user, json_body, login_required, role_required
from models import Comment, Post, db

bp = Blueprint("comments", __name__, url_prefix="/api")

MAX_COMMENT = 1000
MODERATORS = ("moderator", "admin")


def published_post_or_404(slug):
    """Comments exist only under published posts: a draft or an unknown slug is 404."""
    post = db.session.execute(db.select(Post).filter_by(slug=slug, status="published")).scalar_one_or_none()
    if post is None:
        abort(404, "No such post")
    return post


@bp.post("/posts/<slug>/comments")
@login_required
def create_comment(slug):
    post = published_post_or_404(slug)
    data = json_body()
    body = data.get("body") if data is not None else None
    if not isinstance(body, str) or not body.strip():
        return {"error": "body is required: a non-empty string"}, 400
    body = body.strip()
    if len(body) > MAX_COMMENT:
        return {"error": f"body: at most {MAX_COMMENT} characters"}, 400
    comment = Comment(post=post, author=current_user(), body=body)  # status "pending"
    db.session.add(comment)
    db.session.commit()
    return comment.to_dict(), 201


@bp.get("/posts/<slug>/comments")
def list_comments(slug):
    post = published_post_or_404(slug)
    query = db.select(Comment).filter_by(post_id=post.id, status="approved").order_by(Comment.id)
    return {"comments": [c.to_dict() for c in db.session.execute(query).scalars()]}


@bp.get("/comments/pending")
@role_required(*MODERATORS)
def pending_comments():
    query = db.select(Comment).filter_by(status="pending").order_by(Comment.id)
    return {"comments": [c.to_dict() for c in db.session.execute(query).scalars()]}


def moderate(comment_id, status):
    comment = db.get_or_404(Comment, comment_id, description="No such comment")
    comment.status = status
    db.session.commit()
    return comment.to_dict()


@bp.post("/comments/<int:comment_id>/approve")
@role_required(*MODERATORS)
def approve(comment_id):
    return moderate(comment_id, "approved")


@bp.post("/comments/<int:comment_id>/reject")
@role_required(*MODERATORS)
def reject(comment_id):
    return moderate(comment_id, "rejected")
