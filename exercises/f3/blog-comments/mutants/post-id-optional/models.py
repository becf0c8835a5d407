"""Posts and their comments: a one-to-many relationship."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Post(db.Model):
    """A blog post (table "post"). One post has many comments."""

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)

    # The "one" side. cascade="all, delete-orphan": the comments belong to the post, so
    # deleting the post deletes them too (and a comment removed from the list is deleted).
    # order_by keeps the comments in the order they were written.
    comments = db.relationship(
        "Comment",
        back_populates="post",
        cascade="all, delete-orphan",
        order_by="Comment.id",
    )

    def to_dict(self):
        return {
            "id": self.id,
            "title": self.title,
            "body": self.body,
            "comments": [comment.to_dict() for comment in self.comments],
        }


class Comment(db.Model):
    """A comment on a post (table "comment")."""

    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.Text, nullable=False)
    # The "many" side holds the foreign key: every comment points at exactly one post.
    post_id = db.Column(db.Integer, db.ForeignKey("post.id"), index=True)

    post = db.relationship("Post", back_populates="comments")

    def to_dict(self):
        return {"id": self.id, "body": self.body, "post_id": self.post_id}
