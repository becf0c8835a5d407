"""The posts API, with tags."""
from flask import Blueprint, abort, request, url_for

from models import Post, Tag, db

bp = Blueprint("posts", __name__)


def _text_field(data, name):
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        abort(400, description=f"{name} must be a non-empty string")
    return value.strip()


@bp.post("/posts")
def create_post():
    data = request.get_json(silent=True) or {}
    post = Post(title=_text_field(data, "title"), body=_text_field(data, "body"))
    db.session.add(post)
    db.session.commit()
    return post.to_dict(), 201, {"Location": url_for("posts.get_post", post_id=post.id)}


@bp.get("/posts/<int:post_id>")
def get_post(post_id):
    return db.get_or_404(Post, post_id).to_dict()


@bp.post("/posts/<int:post_id>/tags")
def add_tag(post_id):
    post = db.get_or_404(Post, post_id)
    name = _text_field(request.get_json(silent=True) or {}, "name")

    # Reuse the tag when it exists: one "flask" row shared by every post tagged "flask".
    tag = Tag(name=name)
    db.session.add(tag)

    if tag in post.tags:
        return post.to_dict(), 200  # already tagged: nothing to do
    post.tags.append(tag)  # inserts the (post_id, tag_id) row into post_tags
    db.session.commit()
    return post.to_dict(), 201


@bp.get("/tags/<name>/posts")
def posts_with_tag(name):
    tag = db.first_or_404(db.select(Tag).filter_by(name=name), description=f"no tag named {name!r}")
    return [{"id": post.id, "title": post.title} for post in tag.posts]
