"""Posts and their tags."""
from flask import Blueprint, abort, request

from models import Post, PostTag, Tag, db

bp = Blueprint("posts", __name__)


def required_text(data, key):
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip():
        abort(400, description="%s is required" % key)
    return value.strip()


@bp.post("/posts")
def create_post():
    data = request.get_json(silent=True)
    post = Post(title=required_text(data, "title"), body=required_text(data, "body"))
    db.session.add(post)
    db.session.commit()
    return post.to_dict(), 201


@bp.get("/posts/<int:post_id>")
def get_post(post_id):
    return db.get_or_404(Post, post_id).to_dict()


@bp.post("/posts/<int:post_id>/tags")
def add_tag(post_id):
    post = db.get_or_404(Post, post_id)
    name = required_text(request.get_json(silent=True), "name")
    tag = db.session.scalar(db.select(Tag).where(Tag.name == name))
    if tag is None:
        tag = Tag(name=name)
        db.session.add(tag)
        db.session.flush()
    if db.session.get(PostTag, (post.id, tag.id)) is not None:
        return post.to_dict(), 200
    db.session.add(PostTag(post_id=post.id, tag_id=tag.id))
    db.session.commit()
    db.session.refresh(post)
    return post.to_dict(), 201


@bp.get("/tags/<name>/posts")
def posts_with_tag(name):
    tag = db.session.scalar(db.select(Tag).where(Tag.name == name))
    if tag is None:
        abort(404, description="no tag named %r" % name)
    return [{"id": p.id, "title": p.title} for p in sorted(tag.posts, key=lambda p: p.id)]
