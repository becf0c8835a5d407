"""The posts API, with tags."""
from flask import Blueprint, abort, request, url_for

from models import Post, db

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


# TODO: POST /posts/<post_id>/tags with {"name": "flask"}
#   Reuse the tag named "flask" when it exists, create it otherwise (never two "flask" rows).
#   -> 201 and the post's JSON (with its "tags") when the tag was attached,
#   -> 200 and the post's JSON when the post already had that tag,
#   -> 404 when the post does not exist, 400 when the name is missing or blank.


# TODO: GET /tags/<name>/posts
#   -> 200 and a JSON list of the posts with that tag: [{"id": 1, "title": "..."}, ...]
#   -> 404 when there is no tag with that name.
