"""Comments: posted as JSON, shown on an HTML page."""
from flask import Blueprint, abort, render_template, request
from markupsafe import Markup

from models import Comment, db

bp = Blueprint("comments", __name__)


@bp.get("/comments")
def list_comments():
    comments = db.session.execute(db.select(Comment).order_by(Comment.id)).scalars().all()
    # TODO (XSS): this builds HTML with an f-string and marks it safe with Markup(...), so
    # an author named "<script>...</script>" becomes a real script in every visitor's page.
    shown = [
        {"author": Markup(f"<strong>{comment.author}</strong>"), "body": comment.body}
        for comment in comments
    ]
    return render_template("comments.html", comments=shown)


@bp.post("/comments")
def add_comment():
    data = request.get_json(silent=True) or {}
    author, body = data.get("author"), data.get("body")
    if not isinstance(author, str) or not author.strip() or not isinstance(body, str) or not body.strip():
        abort(400, description="author and body are required")
    comment = Comment(author=author.strip(), body=body.strip())
    db.session.add(comment)
    db.session.commit()
    return comment.to_dict(), 201
