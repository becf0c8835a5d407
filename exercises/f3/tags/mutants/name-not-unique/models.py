"""Posts and tags: a many-to-many relationship through the post_tags table."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()

# The association table: one row per (post, tag) pair. It has no model class of its own
# because it holds nothing but the two foreign keys. The composite primary key makes the
# database refuse the same pair twice.
post_tags = db.Table(
    "post_tags",
    db.Column("post_id", db.Integer, db.ForeignKey("post.id"), primary_key=True),
    db.Column("tag_id", db.Integer, db.ForeignKey("tag.id"), primary_key=True),
)


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)

    # secondary= tells SQLAlchemy to go through post_tags; back_populates keeps
    # post.tags and tag.posts in sync in Python too.
    tags = db.relationship("Tag", secondary=post_tags, back_populates="posts", order_by="Tag.name")

    def to_dict(self):
        return {
            "id": self.id,
            "title": self.title,
            "body": self.body,
            "tags": [tag.name for tag in self.tags],
        }


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    # unique: a tag name exists once and is shared by every post that uses it.
    name = db.Column(db.String(50), nullable=False)

    posts = db.relationship("Post", secondary=post_tags, back_populates="tags", order_by="Post.id")
