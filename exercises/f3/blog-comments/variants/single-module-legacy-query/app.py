"""A blog with comments, in one module."""
import os

from flask import Flask, abort, jsonify, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__, instance_relative_config=True)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "blog.db")
os.makedirs(app.instance_path, exist_ok=True)
db = SQLAlchemy(app)


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)
    comments = db.relationship("Comment", backref="post", cascade="all, delete-orphan", order_by="Comment.id")


class Comment(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.Text, nullable=False)
    post_id = db.Column(db.Integer, db.ForeignKey("post.id"), nullable=False)


with app.app_context():
    db.create_all()


def comment_json(c):
    return {"id": c.id, "body": c.body, "post_id": c.post_id}


def text(data, key):
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip():
        abort(400, "%s is required" % key)
    return value.strip()


@app.errorhandler(400)
@app.errorhandler(404)
def as_json(err):
    return jsonify(error=err.description), err.code


@app.route("/posts", methods=["POST"])
def create_post():
    data = request.get_json(silent=True)
    post = Post(title=text(data, "title"), body=text(data, "body"))
    db.session.add(post)
    db.session.commit()
    return jsonify(id=post.id, title=post.title, body=post.body, comments=[]), 201


@app.route("/posts/<int:post_id>")
def read_post(post_id):
    post = Post.query.get_or_404(post_id)
    return jsonify(id=post.id, title=post.title, body=post.body, comments=[comment_json(c) for c in post.comments])


@app.route("/posts/<int:post_id>", methods=["DELETE"])
def remove_post(post_id):
    db.session.delete(Post.query.get_or_404(post_id))
    db.session.commit()
    return "", 204


@app.route("/posts/<int:post_id>/comments", methods=["POST"])
def comment(post_id):
    post = Post.query.get_or_404(post_id)
    c = Comment(body=text(request.get_json(silent=True), "body"), post_id=post.id)
    db.session.add(c)
    db.session.commit()
    return jsonify(comment_json(c)), 201
