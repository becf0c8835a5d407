from flask import Blueprint, render_template, url_for

bp = Blueprint("blog", __name__)


@bp.get("/")
def index():
    return render_template("blog.html", link=url_for("blog.post", post_id=1))


@bp.get("/<int:post_id>")
def post(post_id):
    return {"id": post_id}


@bp.get("/broken-link")
def broken_link():
    return url_for("blog.post")
