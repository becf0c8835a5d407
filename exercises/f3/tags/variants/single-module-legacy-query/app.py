"""Posts and tags in one module."""
import os

from flask import Flask, abort, jsonify, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__, instance_relative_config=True)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "blog.db")
os.makedirs(app.instance_path, exist_ok=True)
db = SQLAlchemy(app)

post_tags = db.Table(
    "post_tags",
    db.Column("post_id", db.Integer, db.ForeignKey("post.id"), nullable=False),
    db.Column("tag_id", db.Integer, db.ForeignKey("tag.id"), nullable=False),
    db.PrimaryKeyConstraint("post_id", "tag_id"),
)


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)
    tags = db.relationship("Tag", secondary=post_tags, backref="posts")


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50), nullable=False, unique=True)


with app.app_context():
    db.create_all()


def post_json(post):
    return {"id": post.id, "title": post.title, "body": post.body, "tags": sorted(t.name for t in post.tags)}


@app.errorhandler(400)
@app.errorhandler(404)
def json_error(err):
    return jsonify(error=err.description), err.code


@app.route("/posts", methods=["POST"])
def new_post():
    data = request.get_json(silent=True) or {}
    title, body = data.get("title"), data.get("body")
    if not (isinstance(title, str) and title.strip() and isinstance(body, str) and body.strip()):
        abort(400, "title and body are required")
    post = Post(title=title.strip(), body=body.strip())
    db.session.add(post)
    db.session.commit()
    return jsonify(post_json(post)), 201


@app.route("/posts/<int:post_id>")
def show_post(post_id):
    return jsonify(post_json(Post.query.get_or_404(post_id)))


@app.route("/posts/<int:post_id>/tags", methods=["POST"])
def tag_post(post_id):
    post = Post.query.get_or_404(post_id)
    name = (request.get_json(silent=True) or {}).get("name")
    if not isinstance(name, str) or not name.strip():
        abort(400, "name is required")
    name = name.strip()
    tag = Tag.query.filter_by(name=name).first() or Tag(name=name)
    if tag in post.tags:
        return jsonify(post_json(post)), 200
    post.tags.append(tag)
    db.session.commit()
    return jsonify(post_json(post)), 201


@app.route("/tags/<name>/posts")
def tagged(name):
    tag = Tag.query.filter_by(name=name).first_or_404()
    return jsonify([{"id": p.id, "title": p.title} for p in sorted(tag.posts, key=lambda p: p.id)])
