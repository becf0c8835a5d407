"""Posts and tags: a many-to-many relationship through the post_tags table."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()

# TODO: the association table "post_tags", one row per (post, tag) pair:
#   post_id  foreign key to post.id
#   tag_id   foreign key to tag.id
# Make the pair the primary key, so the same tag cannot be attached to a post twice.
# post_tags = db.Table("post_tags", ...)


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)

    # TODO: a `tags` relationship to Tag, going through post_tags (secondary=...).

    def to_dict(self):
        return {
            "id": self.id,
            "title": self.title,
            "body": self.body,
            # TODO: "tags": the names of the post's tags, as a list of strings.
        }


# TODO: a Tag model (table "tag"): id (integer primary key) and name (text up to 50
# characters, required and unique), with a `posts` relationship back to Post.
