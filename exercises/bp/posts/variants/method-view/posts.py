"""Posts as two class-based MethodViews on the blueprint; db.session.scalars with where()."""

import re

from flask import Blueprint, abort
from flask.views import MethodView
from sqlalchemy import func

from auth import current_user, json_body, login_required
from models import Post, db

bp = Blueprint("posts", __name__, url_prefix="/api/posts")


class Invalid(Exception):
    pass


def clean(data, partial):
    if data is None:
        raise Invalid("The request body must be a JSON object")
    out = {}
    if "title" in data or not partial:
        title = data.get("title")
        if not isinstance(title, str) or not (0 < len(title.strip()) <= 200):
            raise Invalid("title must be 1 to 200 characters")
        out["title"] = title.strip()
    if "body" in data or not partial:
        body = data.get("body")
        if not isinstance(body, str) or body.strip() == "" or len(body) > 10000:
            raise Invalid("body must be a non-empty string of at most 10000 characters")
        out["body"] = body
    if "status" in data:
        if data["status"] not in ("draft", "published"):
            raise Invalid("status must be draft or published")
        out["status"] = data["status"]
    return out


def free_slug(title):
    base = "-".join(re.findall(r"[a-z0-9]+", title.lower())) or "post"
    slug, n = base, 1
    while db.session.scalar(db.select(func.count()).select_from(Post).where(Post.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    return slug


def find(slug):
    post = db.session.scalars(db.select(Post).where(Post.slug == slug)).first()
    me = current_user()
    if post is None or (post.status == "draft" and (me is None or me.id != post.author_id)):
        abort(404, "No such post")
    return post


class PostList(MethodView):
    def get(self):
        posts = db.session.scalars(
            db.select(Post).where(Post.status == "published").order_by(Post.published_at.desc(), Post.id.desc())
        )
        return {"posts": [p.to_dict() for p in posts]}

    @login_required
    def post(self):
        try:
            data = clean(json_body(), partial=False)
        except Invalid as e:
            return {"error": str(e)}, 400
        post = Post(title=data["title"], body=data["body"], slug=free_slug(data["title"]), author=current_user())
        if data.get("status") == "published":
            post.publish()
        db.session.add(post)
        db.session.commit()
        return post.to_dict(), 201


class PostItem(MethodView):
    def get(self, slug):
        return find(slug).to_dict()

    @login_required
    def patch(self, slug):
        post = find(slug)
        if post.author_id != current_user().id:
            abort(403, "Not your post")
        try:
            data = clean(json_body(), partial=True)
        except Invalid as e:
            return {"error": str(e)}, 400
        post.title = data.get("title", post.title)
        post.body = data.get("body", post.body)
        {"published": post.publish, "draft": post.unpublish}.get(data.get("status"), lambda: None)()
        db.session.commit()
        return post.to_dict()


bp.add_url_rule("", view_func=PostList.as_view("list"))
bp.add_url_rule("/<slug>", view_func=PostItem.as_view("item"))
