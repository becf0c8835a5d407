"""Comments: posted as JSON, shown on an HTML page."""
from flask import Blueprint, abort, render_template, request

from models import Comment, db

bp = Blueprint("comments", __name__)


@bp.get("/comments")
def list_comments():
    comments = db.session.execute(db.select(Comment).order_by(Comment.id)).scalars().all()
    # The template prints author and body with {{ ... }}: Jinja escapes them, so
    # "<script>" arrives in the browser as the text &lt;script&gt;, never as a tag.
    # (To build HTML in Python, use Markup("<strong>{}</strong>").format(value):
    # format() escapes its arguments, unlike an f-string inside Markup(...).)
    return render_template("comments.html", comments=comments)


@bp.post("/comments")
def add_comment():
    data = request.get_json(silent=True) or {}
    author, body = data.get("author"), data.get("body")
    if not isinstance(author, str) or not author.strip() or not isinstance(body, str) or not body.strip():
        abort(400, description="author and body are required")
    # Store what the user wrote, unchanged: escaping happens when it is shown.
    comment = Comment(author=author.strip(), body=body.strip())
    db.session.add(comment)
    db.session.commit()
    return comment.to_dict(), 201
