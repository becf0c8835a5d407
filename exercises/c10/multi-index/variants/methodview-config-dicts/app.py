"""MethodViews; each index is a plain dict of settings handled by module functions and
mapper events; legacy Model.query for the writes."""
import os
import re

from flask import Flask, abort, request
from flask.views import MethodView
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, text
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), nullable=False, unique=True)
    display_name = db.Column(db.String(120), nullable=False)
    email = db.Column(db.String(200), nullable=False)

    def public(self):
        return {"id": self.id, "username": self.username, "display_name": self.display_name}


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False, unique=True)


INDEXES = [
    {"group": "posts", "table": "fts_posts", "model": Post, "indexed": ("title", "body"), "shown": ("title",)},
    {"group": "users", "table": "fts_users", "model": User, "indexed": ("username", "display_name"), "shown": ("username", "display_name")},
    {"group": "tags", "table": "fts_tags", "model": Tag, "indexed": ("name",), "shown": ("name",)},
]
BY_GROUP = {index["group"]: index for index in INDEXES}


def _sync(index):
    table, cols = index["table"], index["indexed"]

    def upsert(mapper, connection, target):
        connection.execute(text(f"DELETE FROM {table} WHERE rowid = :rowid"), {"rowid": target.id})
        connection.execute(text(f"INSERT INTO {table} (rowid, {', '.join(cols)}) VALUES (:rowid, {', '.join(':' + c for c in cols)})"),
                           {"rowid": target.id, **{c: getattr(target, c) for c in cols}})

    def delete(mapper, connection, target):
        connection.execute(text(f"DELETE FROM {table} WHERE rowid = :rowid"), {"rowid": target.id})

    event.listen(index["model"], "after_insert", upsert)
    event.listen(index["model"], "after_update", upsert)
    event.listen(index["model"], "after_delete", delete)


for _index in INDEXES:
    _sync(_index)


def query_group(index, match, limit):
    table = index["table"]
    total = db.session.execute(text(f"SELECT count(*) FROM {table}(:m)"), {"m": match}).scalar()
    cols = ", ".join(index["shown"])
    rows = db.session.execute(text(f"SELECT rowid, {cols} FROM {table}(:m) ORDER BY rank, rowid LIMIT :n"), {"m": match, "n": limit})
    return {"total": total, "items": [dict(zip(("id",) + index["shown"], row)) for row in rows]}


def need(data, key):
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip():
        abort(400, f"{key} is required")
    return value.strip()


class Users(MethodView):
    def post(self):
        data = request.get_json(silent=True)
        user = User(username=need(data, "username"), display_name=need(data, "display_name"), email=need(data, "email"))
        db.session.add(user)
        db.session.commit()
        return user.public(), 201


class OneUser(MethodView):
    def patch(self, user_id):
        user = User.query.get_or_404(user_id)
        user.display_name = need(request.get_json(silent=True), "display_name")
        db.session.commit()
        return user.public()


class Posts(MethodView):
    def post(self):
        data = request.get_json(silent=True)
        author_id = data.get("author_id") if isinstance(data, dict) else None
        if not isinstance(author_id, int) or User.query.get(author_id) is None:
            abort(400, "author_id must be an existing user id")
        post = Post(title=need(data, "title"), body=need(data, "body"), author_id=author_id)
        db.session.add(post)
        db.session.commit()
        return {"id": post.id, "title": post.title}, 201


class OnePost(MethodView):
    def delete(self, post_id):
        db.session.delete(Post.query.get_or_404(post_id))
        db.session.commit()
        return "", 204


class Tags(MethodView):
    def post(self):
        tag = Tag(name=need(request.get_json(silent=True), "name"))
        db.session.add(tag)
        db.session.commit()
        return {"id": tag.id, "name": tag.name}, 201


class Search(MethodView):
    def get(self):
        q = request.args.get("q", "")
        if not q.strip():
            abort(400, "q is required")
        try:
            limit = int(request.args.get("limit", 5))
        except ValueError:
            abort(400, "limit must be a number")
        if not 1 <= limit <= 20:
            abort(400, "limit must be from 1 to 20")
        groups = [g.strip() for g in request.args.get("types", "posts,users,tags").split(",")]
        if any(g not in BY_GROUP for g in groups):
            abort(400, "types: posts, users, tags")
        words = re.findall(r"\w+", q.lower())
        match = " AND ".join('"%s"' % w for w in words)
        return {"query": q, "results": {
            g: query_group(BY_GROUP[g], match, limit) if words else {"total": 0, "items": []} for g in groups}}


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "community.db"))
    app.config.from_mapping(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    app.register_error_handler(HTTPException, lambda e: ({"error": e.description}, e.code))
    for rule, view in (("/api/users", Users), ("/api/users/<int:user_id>", OneUser), ("/api/posts", Posts),
                       ("/api/posts/<int:post_id>", OnePost), ("/api/tags", Tags), ("/api/search", Search)):
        app.add_url_rule(rule, view_func=view.as_view(view.__name__.lower()))
    with app.app_context():
        db.create_all()
        for index in INDEXES:
            db.session.execute(text(f"CREATE VIRTUAL TABLE IF NOT EXISTS {index['table']} USING fts5({', '.join(index['indexed'])})"))
        db.session.commit()
    return app
