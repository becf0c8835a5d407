"""Posts and comments, queried explicitly."""
from flask import Blueprint, abort, request

from models import Comment, Post, db

bp = Blueprint("posts", __name__, url_prefix="/posts")


def field(data, name):
    value = (data or {}).get(name) if isinstance(data, dict) or data is None else None
    if not isinstance(value, str) or not value.strip():
        abort(400, description="%s must not be empty" % name)
    return value.strip()


def post_json(post):
    comments = db.session.scalars(db.select(Comment).where(Comment.post_id == post.id).order_by(Comment.id))
    return {"id": post.id, "title": post.title, "body": post.body, "comments": [c.to_dict() for c in comments]}


@bp.post("")
def create_post():
    data = request.get_json(silent=True)
    post = Post(title=field(data, "title"), body=field(data, "body"))
    db.session.add(post)
    db.session.commit()
    return post_json(post), 201


@bp.get("/<int:post_id>")
def get_post(post_id):
    return post_json(db.get_or_404(Post, post_id))


@bp.delete("/<int:post_id>")
def delete_post(post_id):
    post = db.get_or_404(Post, post_id)
    db.session.execute(db.delete(Comment).where(Comment.post_id == post.id))
    db.session.delete(post)
    db.session.commit()
    return "", 204


@bp.post("/<int:post_id>/comments")
def add_comment(post_id):
    post = db.get_or_404(Post, post_id)
    comment = Comment(body=field(request.get_json(silent=True), "body"), post_id=post.id)
    db.session.add(comment)
    db.session.commit()
    return comment.to_dict(), 201
