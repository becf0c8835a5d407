"""Posts and their comments: a one-to-many relationship."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Post(db.Model):
    """A blog post (table "post"). One post has many comments."""

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)

    # TODO: the "one" side: a `comments` relationship to Comment, in the order the comments
    # were written. Deleting a post must delete its comments too (look at cascade=...).

    def to_dict(self):
        return {
            "id": self.id,
            "title": self.title,
            "body": self.body,
            # TODO: include the post's comments: [comment.to_dict() for comment in ...]
        }


# TODO: a Comment model (table "comment") with
#   id       integer primary key
#   body     text, required
#   post_id  integer, required, a foreign key to post.id
# and a to_dict() method answering {"id": ..., "body": ..., "post_id": ...}.
