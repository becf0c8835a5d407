"""Posts and tags, linked through a PostTag model."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class PostTag(db.Model):
    __tablename__ = "post_tags"
    post_id = db.Column(db.Integer, db.ForeignKey("post.id"), primary_key=True)
    tag_id = db.Column(db.Integer, db.ForeignKey("tag.id"), primary_key=True)


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)
    tags = db.relationship("Tag", secondary="post_tags", back_populates="posts", viewonly=True)

    def to_dict(self):
        return {"id": self.id, "title": self.title, "body": self.body, "tags": sorted(t.name for t in self.tags)}


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50), unique=True, nullable=False)
    posts = db.relationship("Post", secondary="post_tags", back_populates="tags", viewonly=True)
