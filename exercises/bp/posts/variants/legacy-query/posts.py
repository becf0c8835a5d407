"""Posts with the legacy Model.query API, jsonify, and one view for GET and PATCH."""

import itertools
import re

from flask import Blueprint, abort, jsonify, request

from auth import current_user, json_body, login_required
from models import Post, db, utcnow

bp = Blueprint("posts", __name__, url_prefix="/api/posts")

NON_ALNUM = re.compile(r"[^a-z0-9]+")


def make_slug(title):
    base = NON_ALNUM.sub("-", title.lower()).strip("-") or "post"
    taken = {slug for (slug,) in db.session.query(Post.slug).filter(Post.slug.like(base + "%"))}
    for candidate in itertools.chain([base], (f"{base}-{n}" for n in itertools.count(2))):
        if candidate not in taken:
            return candidate


def check(data, fields):
    for field in fields:
        value = data.get(field)
        if field == "title" and (not isinstance(value, str) or not 1 <= len(value.strip()) <= 200):
            return "title: 1 to 200 characters"
        if field == "body" and (not isinstance(value, str) or not value.strip() or len(value) > 10000):
            return "body: 1 to 10000 characters"
        if field == "status" and value not in ("draft", "published"):
            return "status: draft or published"
    return None


def set_status(post, status):
    if status == "published":
        post.status = "published"
        post.published_at = post.published_at or utcnow()
    elif status == "draft":
        post.status = "draft"


@bp.route("", methods=["POST"])
@login_required
def create_post():
    data = json_body()
    if data is None:
        return jsonify(error="Send a JSON object"), 400
    problem = check(data, ["title", "body"] + (["status"] if "status" in data else []))
    if problem:
        return jsonify(error=problem), 400
    title = data["title"].strip()
    post = Post(title=title, body=data["body"], slug=make_slug(title), author_id=current_user().id, status="draft")
    set_status(post, data.get("status"))
    db.session.add(post)
    db.session.commit()
    return jsonify(post.to_dict()), 201


@bp.route("", methods=["GET"])
def list_posts():
    posts = Post.query.filter(Post.status == "published").order_by(Post.published_at.desc(), Post.id.desc()).all()
    return jsonify(posts=[p.to_dict() for p in posts])


@bp.route("/<slug>", methods=["GET", "PATCH"])
def post_detail(slug):
    post = Post.query.filter_by(slug=slug).first_or_404(description="No such post")
    user = current_user()
    mine = user is not None and post.author_id == user.id
    if post.status != "published" and not mine:
        abort(404, description="No such post")
    if request.method == "GET":
        return jsonify(post.to_dict())

    if user is None:
        return jsonify(error="Authentication required"), 401
    if not mine:
        abort(403, description="Only the author may edit this post")
    data = json_body()
    if data is None:
        return jsonify(error="Send a JSON object"), 400
    problem = check(data, [f for f in ("title", "body", "status") if f in data])
    if problem:
        return jsonify(error=problem), 400
    if "title" in data:
        post.title = data["title"].strip()
    if "body" in data:
        post.body = data["body"]
    set_status(post, data.get("status"))
    db.session.commit()
    return jsonify(post.to_dict())
