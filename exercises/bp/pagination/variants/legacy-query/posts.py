"""Posts: drafts and published posts, reached by their slug."""

import re

from flask import Blueprint, abort, jsonify
from sqlalchemy.exc import IntegrityError

from auth import current_user, json_body, login_required
from models import POST_STATUSES, Post, db
from pagination import MAX_PAGE, MAX_PER_PAGE, BadPageNumber, number

bp = Blueprint("posts", __name__, url_prefix="/api/posts")

MAX_TITLE = 200
MAX_BODY = 10_000


def slugify(title):
    """'Hello, World!' -> 'hello-world': runs of anything but a-z and 0-9 become one '-'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "post"


def unique_slug(base):
    """base, or base-2, base-3, ... : the first one no post (draft or published) has."""
    slug, n = base, 2
    while db.session.execute(db.select(Post.id).filter_by(slug=slug)).first() is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def validate(data, partial=False):
    """A dict field -> message for every invalid field (for PATCH only the fields sent)."""
    errors = {}
    if not partial or "title" in data:
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            errors["title"] = "required, a non-empty string"
        elif len(title.strip()) > MAX_TITLE:
            errors["title"] = f"at most {MAX_TITLE} characters"
    if not partial or "body" in data:
        body = data.get("body")
        if not isinstance(body, str) or not body.strip():
            errors["body"] = "required, a non-empty string"
        elif len(body) > MAX_BODY:
            errors["body"] = f"at most {MAX_BODY} characters"
    if "status" in data and data["status"] not in POST_STATUSES:
        errors["status"] = "draft or published"
    return errors


def visible_post_or_404(slug):
    """The post, if the current visitor may see it: a draft exists only for its author."""
    post = db.session.execute(db.select(Post).filter_by(slug=slug)).scalar_one_or_none()
    user = current_user()
    if post is None or (not post.is_published and (user is None or post.author_id != user.id)):
        abort(404, "No such post")  # the same answer for a draft and a missing post
    return post


@bp.post("")
@login_required
def create_post():
    data = json_body()
    if data is None:
        return {"error": "The request body must be a JSON object"}, 400
    errors = validate(data)
    if errors:
        return {"error": "Validation failed", "errors": errors}, 400

    title = data["title"].strip()
    for _ in range(3):  # another request may take the same slug between the check and the commit
        post = Post(title=title, body=data["body"], slug=unique_slug(slugify(title)), author=current_user())
        if data.get("status") == "published":
            post.publish()
        db.session.add(post)
        try:
            db.session.commit()
            return post.to_dict(), 201
        except IntegrityError:
            db.session.rollback()
    return {"error": "Could not give the post a unique slug, try again"}, 409


@bp.get("")
def list_posts():
    try:
        page, per_page = number("page", 1), min(number("per_page", 10), MAX_PER_PAGE)
    except BadPageNumber as e:
        return jsonify(error=str(e)), 400
    if page > MAX_PAGE:
        return jsonify(error=f"page must be at most {MAX_PAGE}"), 400
    result = (
        Post.query.filter_by(status="published")
        .order_by(Post.published_at.desc(), Post.id.desc())
        .paginate(page=page, per_page=per_page, error_out=False)
    )
    return jsonify(posts=[p.to_dict() for p in result.items], page=page, per_page=per_page,
                   total=result.total, pages=result.pages)


@bp.get("/<slug>")
def get_post(slug):
    return visible_post_or_404(slug).to_dict()


@bp.patch("/<slug>")
@login_required
def update_post(slug):
    post = visible_post_or_404(slug)
    if post.author_id != current_user().id:
        abort(403, "Only the author may edit this post")
    data = json_body()
    if data is None:
        return {"error": "The request body must be a JSON object"}, 400
    errors = validate(data, partial=True)
    if errors:
        return {"error": "Validation failed", "errors": errors}, 400

    if "title" in data:
        post.title = data["title"].strip()  # the slug stays: it is the post's permalink
    if "body" in data:
        post.body = data["body"]
    if data.get("status") == "published":
        post.publish()
    elif data.get("status") == "draft":
        post.unpublish()
    db.session.commit()
    return post.to_dict()
