"""The posts API, with the comments of each post."""
from flask import Blueprint, abort, request, url_for

from models import Comment, Post, db

bp = Blueprint("posts", __name__, url_prefix="/posts")


def _text_field(data, name):
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        abort(400, description=f"{name} must be a non-empty string")
    return value.strip()


@bp.post("")
def create_post():
    data = request.get_json(silent=True) or {}
    post = Post(title=_text_field(data, "title"), body=_text_field(data, "body"))
    db.session.add(post)
    db.session.commit()
    return post.to_dict(), 201, {"Location": url_for("posts.get_post", post_id=post.id)}


@bp.get("/<int:post_id>")
def get_post(post_id):
    return db.get_or_404(Post, post_id).to_dict()


@bp.delete("/<int:post_id>")
def delete_post(post_id):
    post = db.get_or_404(Post, post_id)
    db.session.delete(post)  # the cascade deletes its comments in the same transaction
    db.session.commit()
    return "", 204


@bp.post("/<int:post_id>/comments")
def add_comment(post_id):
    # Look the post up first: commenting on a post that does not exist is a 404.
    post = db.get_or_404(Post, post_id)
    data = request.get_json(silent=True) or {}
    if "body" not in data:
        abort(400, description="body is required")
    comment = Comment(body=data["body"])
    post.comments.append(comment)  # sets comment.post_id for us
    db.session.commit()
    return comment.to_dict(), 201
