"""A community API: users, posts and tags. Only posts are searchable so far."""
import os
import re

from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, text
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), nullable=False, unique=True)
    display_name = db.Column(db.String(120), nullable=False)
    email = db.Column(db.String(200), nullable=False)  # private: never indexed, never returned by search


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False, unique=True)


@event.listens_for(Post, "after_insert")
@event.listens_for(Post, "after_update")
def index_post(mapper, connection, target):
    connection.execute(text("DELETE FROM post_fts WHERE rowid = :id"), {"id": target.id})
    connection.execute(text("INSERT INTO post_fts (rowid, title, body) VALUES (:id, :title, :body)"),
                       {"id": target.id, "title": target.title, "body": target.body})


@event.listens_for(Post, "after_delete")
def unindex_post(mapper, connection, target):
    connection.execute(text("DELETE FROM post_fts WHERE rowid = :id"), {"id": target.id})


def search_posts(connection, match):
    rows = connection.execute(
        text("SELECT rowid AS id, title FROM post_fts WHERE post_fts MATCH :m ORDER BY bm25(post_fts), rowid"),
        {"m": match},
    ).mappings()
    return [dict(row) for row in rows]


# TODO: indexes for users and tags, kept in sync like the posts' one


def required_str(data, field):
    value = data.get(field) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip():
        abort(400, description=f"{field} must be a non-blank string")
    return value.strip()


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "community.db"),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    @app.post("/api/users")
    def create_user():
        data = request.get_json(silent=True)
        user = User(username=required_str(data, "username"), display_name=required_str(data, "display_name"),
                    email=required_str(data, "email"))
        db.session.add(user)
        db.session.commit()
        return {"id": user.id, "username": user.username, "display_name": user.display_name}, 201

    @app.patch("/api/users/<int:user_id>")
    def update_user(user_id):
        user = db.get_or_404(User, user_id)
        user.display_name = required_str(request.get_json(silent=True), "display_name")
        db.session.commit()
        return {"id": user.id, "username": user.username, "display_name": user.display_name}

    @app.post("/api/posts")
    def create_post():
        data = request.get_json(silent=True)
        author_id = data.get("author_id") if isinstance(data, dict) else None
        if not isinstance(author_id, int) or db.session.get(User, author_id) is None:
            abort(400, description="author_id must be the id of a user")
        post = Post(title=required_str(data, "title"), body=required_str(data, "body"), author_id=author_id)
        db.session.add(post)
        db.session.commit()
        return {"id": post.id, "title": post.title}, 201

    @app.delete("/api/posts/<int:post_id>")
    def delete_post(post_id):
        db.session.delete(db.get_or_404(Post, post_id))
        db.session.commit()
        return "", 204

    @app.post("/api/tags")
    def create_tag():
        tag = Tag(name=required_str(request.get_json(silent=True), "name"))
        db.session.add(tag)
        db.session.commit()
        return {"id": tag.id, "name": tag.name}, 201

    @app.get("/api/search")
    def search():
        # TODO: every group, limit per group, types (see the brief)
        q = request.args.get("q", "")
        words = re.findall(r"\w+", q.lower())
        items = search_posts(db.session.connection(), " ".join('"%s"' % w for w in words)) if words else []
        return {"query": q, "results": {"posts": {"total": len(items), "items": items}}}

    with app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            connection.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS post_fts USING fts5(title, body)"))
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
