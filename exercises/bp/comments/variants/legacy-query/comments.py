"""Comments with the legacy Model.query API, jsonify, and one moderation view for both actions."""

from flask import Blueprint, abort, jsonify, request

from auth import current_user, json_body
from models import Comment, Post, db

bp = Blueprint("comments", __name__, url_prefix="/api")


def staff_only():
    """None when the current user may moderate, else the error answer."""
    user = current_user()
    if user is None:
        return jsonify(error="Log in first"), 401
    if user.role not in ("moderator", "admin"):
        return jsonify(error="Moderators only"), 403
    return None


def get_published(slug):
    return Post.query.filter_by(slug=slug, status="published").first_or_404(description="No such post")


@bp.route("/posts/<slug>/comments", methods=["GET", "POST"])
def post_comments(slug):
    if request.method == "POST" and current_user() is None:
        return jsonify(error="Log in first"), 401
    post = get_published(slug)
    if request.method == "GET":
        approved = Comment.query.filter_by(post_id=post.id, status="approved").order_by(Comment.id.asc()).all()
        return jsonify(comments=[c.to_dict() for c in approved])
    body = (json_body() or {}).get("body")
    if not isinstance(body, str) or not 1 <= len(body.strip()) <= 1000:
        return jsonify(error="body: 1 to 1000 characters"), 400
    comment = Comment(post_id=post.id, author_id=current_user().id, body=body.strip(), status="pending")
    db.session.add(comment)
    db.session.commit()
    return jsonify(comment.to_dict()), 201


@bp.route("/comments/pending")
def pending():
    denied = staff_only()
    if denied:
        return denied
    return jsonify(comments=[c.to_dict() for c in Comment.query.filter_by(status="pending").order_by(Comment.id)])


@bp.route("/comments/<int:comment_id>/<any(approve, reject):action>", methods=["POST"])
def moderate(comment_id, action):
    denied = staff_only()
    if denied:
        return denied
    comment = Comment.query.get(comment_id)
    if comment is None:
        abort(404, description="No such comment")
    comment.status = {"approve": "approved", "reject": "rejected"}[action]
    db.session.commit()
    return jsonify(comment.to_dict())
