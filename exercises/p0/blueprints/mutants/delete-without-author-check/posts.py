"""The posts blueprint: posts CRUD, newest first, one page at a time."""

from flask import Blueprint, abort, request, url_for
from sqlalchemy.orm import selectinload

from auth import current_user, login_required
from models import Post, db
from utils import json_body

bp = Blueprint("posts", __name__, url_prefix="/api/posts")

MAX_POST_LENGTH = 280
DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 50


def validate_post(data):
    """Return (content, errors) for a post's JSON body."""
    content = data.get("content")
    if not isinstance(content, str) or not content.strip():
        return None, {"content": "content is required"}
    content = content.strip()
    if len(content) > MAX_POST_LENGTH:
        return None, {"content": f"at most {MAX_POST_LENGTH} characters"}
    return content, {}


def get_own_post(post_id):
    """The post, if the logged-in user wrote it: 404 if it does not exist, 403 if not theirs."""
    post = db.get_or_404(Post, post_id, description=f"Post {post_id} not found")
    # Authentication says who you are (401 if unknown); authorization, what you may do (403).
    if post.user_id != current_user().id:
        abort(403, description="Only the author can change this post")
    return post


def pagination_args():
    page = max(request.args.get("page", 1, type=int), 1)
    per_page = request.args.get("per_page", DEFAULT_PER_PAGE, type=int)
    return page, min(max(per_page, 1), MAX_PER_PAGE)


@bp.get("")
def list_posts():
    page, per_page = pagination_args()
    query = (
        db.select(Post)
        .options(selectinload(Post.author))  # load the authors in one query, not one per post
        .order_by(Post.created_at.desc(), Post.id.desc())  # newest first
    )
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    return {
        "items": [post.to_dict() for post in pagination.items],
        "page": pagination.page,
        "per_page": pagination.per_page,
        "total": pagination.total,
        "pages": pagination.pages,
    }


@bp.post("")
@login_required
def create_post():
    data = json_body()
    if data is None:
        return {"error": "The request body must be a JSON object"}, 400
    content, errors = validate_post(data)
    if errors:
        return {"error": "Validation failed", "errors": errors}, 400
    post = Post(content=content, user_id=current_user().id)
    db.session.add(post)
    db.session.commit()
    return post.to_dict(), 201, {"Location": url_for(".get_post", post_id=post.id)}


@bp.get("/<int:post_id>")
def get_post(post_id):
    return db.get_or_404(Post, post_id, description=f"Post {post_id} not found").to_dict()


@bp.patch("/<int:post_id>")
@login_required
def update_post(post_id):
    post = get_own_post(post_id)
    data = json_body()
    if data is None:
        return {"error": "The request body must be a JSON object"}, 400
    content, errors = validate_post(data)
    if errors:
        return {"error": "Validation failed", "errors": errors}, 400
    post.content = content
    db.session.commit()
    return post.to_dict()


@bp.delete("/<int:post_id>")
@login_required
def delete_post(post_id):
    post = db.get_or_404(Post, post_id, description=f"Post {post_id} not found")
    db.session.delete(post)
    db.session.commit()
    return "", 204
