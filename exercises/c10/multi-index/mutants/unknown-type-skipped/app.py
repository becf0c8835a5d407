"""One search box over three indexes (posts, users, tags): grouped results, a limit per group,
a choice of groups. Each index is an FTS5 table kept in sync with its model by mapper events."""
import os
import re

from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, text
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()
DEFAULT_LIMIT, MAX_LIMIT = 5, 20


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


class SearchIndex:
    """An FTS5 table over some columns of a model; rowid = the row's id. The indexed columns are
    also what a search result shows (with the id)."""

    def __init__(self, table, model, columns):
        self.table, self.model, self.columns = table, model, columns
        event.listen(model, "after_insert", self._index)
        event.listen(model, "after_update", self._index)
        event.listen(model, "after_delete", self._remove)

    def create(self, connection):
        connection.execute(text(f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5({', '.join(self.columns)})"))

    def _remove(self, mapper, connection, target):
        connection.execute(text(f"DELETE FROM {self.table} WHERE rowid = :id"), {"id": target.id})

    def _index(self, mapper, connection, target):
        self._remove(mapper, connection, target)
        values = {column: getattr(target, column) for column in self.columns}
        connection.execute(
            text(f"INSERT INTO {self.table} (rowid, {', '.join(self.columns)}) "
                 f"VALUES (:id, {', '.join(':' + c for c in self.columns)})"),
            dict(values, id=target.id),
        )

    def search(self, connection, match, limit):
        total = connection.execute(text(f"SELECT count(*) FROM {self.table} WHERE {self.table} MATCH :m"), {"m": match}).scalar()
        rows = connection.execute(
            text(f"SELECT rowid AS id, {', '.join(self.columns)} FROM {self.table} "
                 f"WHERE {self.table} MATCH :m ORDER BY bm25({self.table}), rowid LIMIT :limit"),
            {"m": match, "limit": limit},
        ).mappings()
        return {"total": total, "items": [dict(row) for row in rows]}


# Table names and columns are constants of the code, never user input.
INDEXES = {
    "posts": SearchIndex("post_fts", Post, ["title", "body"]),
    "users": SearchIndex("user_fts", User, ["username", "display_name"]),
    "tags": SearchIndex("tag_fts", Tag, ["name"]),
}
SHOWN = {"posts": ["id", "title"], "users": ["id", "username", "display_name"], "tags": ["id", "name"]}


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
        q = request.args.get("q", "")
        if not q.strip():
            abort(400, description="q is required")
        raw_limit = request.args.get("limit", str(DEFAULT_LIMIT))
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
            abort(400, description=f"limit must be a whole number from 1 to {MAX_LIMIT}")
        types = request.args.get("types")
        wanted = list(INDEXES) if types is None else [t.strip() for t in types.split(",")]
        wanted = [t for t in wanted if t in INDEXES] or list(INDEXES)  # unknown names silently dropped
        words = re.findall(r"\w+", q.lower())
        match = " ".join('"%s"' % w for w in words)
        connection = db.session.connection()
        results = {}
        for name in dict.fromkeys(wanted):
            group = INDEXES[name].search(connection, match, int(raw_limit)) if words else {"total": 0, "items": []}
            group["items"] = [{key: item[key] for key in SHOWN[name]} for item in group["items"]]
            results[name] = group
        return {"query": q, "results": results}

    with app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            for index in INDEXES.values():
                index.create(connection)
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
