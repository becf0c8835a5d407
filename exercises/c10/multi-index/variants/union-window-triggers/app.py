"""External-content FTS5 tables kept by SQL triggers, and ONE statement for the whole search:
a UNION ALL of the chosen indexes, numbered and counted per group with window functions."""
import os
import re

from flask import Blueprint, Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()
api = Blueprint("api", __name__, url_prefix="/api")


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), nullable=False, unique=True)
    display_name = db.Column(db.String(120), nullable=False)
    email = db.Column(db.String(200), nullable=False)


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False, unique=True)


# group -> (content table, FTS table, indexed columns, the SELECT list of one UNION arm)
GROUPS = {
    "posts": ("post", "posts_idx", ["title", "body"], "'posts' AS grp, rowid AS id, title AS a, NULL AS b, bm25(posts_idx) AS score"),
    "users": ("user", "users_idx", ["username", "display_name"], "'users' AS grp, rowid AS id, username AS a, display_name AS b, bm25(users_idx) AS score"),
    "tags": ("tag", "tags_idx", ["name"], "'tags' AS grp, rowid AS id, name AS a, NULL AS b, bm25(tags_idx) AS score"),
}


def ddl():
    for content, idx, cols, _ in GROUPS.values():
        c = ", ".join(cols)
        new = ", ".join("new." + x for x in cols)
        old = ", ".join("old." + x for x in cols)
        yield f"CREATE VIRTUAL TABLE IF NOT EXISTS {idx} USING fts5({c}, content='{content}', content_rowid='id')"
        yield f"CREATE TRIGGER IF NOT EXISTS {idx}_ai AFTER INSERT ON {content} BEGIN INSERT INTO {idx} (rowid, {c}) VALUES (new.id, {new}); END"
        yield (f"CREATE TRIGGER IF NOT EXISTS {idx}_ad AFTER DELETE ON {content} BEGIN "
               f"INSERT INTO {idx} ({idx}, rowid, {c}) VALUES ('delete', old.id, {old}); END")
        yield (f"CREATE TRIGGER IF NOT EXISTS {idx}_au AFTER UPDATE ON {content} BEGIN "
               f"INSERT INTO {idx} ({idx}, rowid, {c}) VALUES ('delete', old.id, {old}); "
               f"INSERT INTO {idx} (rowid, {c}) VALUES (new.id, {new}); END")


def text_field(data, key):
    if not isinstance(data, dict) or not isinstance(data.get(key), str) or not data[key].strip():
        abort(400, f"{key} must be a non-blank string")
    return data[key].strip()


@api.post("/users")
def new_user():
    data = request.get_json(silent=True)
    user = User(username=text_field(data, "username"), display_name=text_field(data, "display_name"), email=text_field(data, "email"))
    db.session.add(user)
    db.session.commit()
    return {"id": user.id, "username": user.username, "display_name": user.display_name}, 201


@api.patch("/users/<int:user_id>")
def rename_user(user_id):
    user = db.get_or_404(User, user_id)
    user.display_name = text_field(request.get_json(silent=True), "display_name")
    db.session.commit()
    return {"id": user.id, "username": user.username, "display_name": user.display_name}


@api.post("/posts")
def new_post():
    data = request.get_json(silent=True)
    author = data.get("author_id") if isinstance(data, dict) else None
    if type(author) is not int or db.session.get(User, author) is None:
        abort(400, "author_id must be the id of a user")
    post = Post(title=text_field(data, "title"), body=text_field(data, "body"), author_id=author)
    db.session.add(post)
    db.session.commit()
    return {"id": post.id, "title": post.title}, 201


@api.delete("/posts/<int:post_id>")
def drop_post(post_id):
    db.session.delete(db.get_or_404(Post, post_id))
    db.session.commit()
    return "", 204


@api.post("/tags")
def new_tag():
    tag = Tag(name=text_field(request.get_json(silent=True), "name"))
    db.session.add(tag)
    db.session.commit()
    return {"id": tag.id, "name": tag.name}, 201


@api.get("/search")
def search_everything():
    q = request.args.get("q", "")
    if not q.strip():
        abort(400, "q is required")
    limit = request.args.get("limit", "5")
    if not re.fullmatch(r"\d+", limit) or not 1 <= int(limit) <= 20:
        abort(400, "limit must be from 1 to 20")
    chosen = request.args.get("types")
    names = list(GROUPS) if chosen is None else chosen.split(",")
    if not names or not set(names) <= set(GROUPS):
        abort(400, "types may only name posts, users and tags")
    names = list(dict.fromkeys(names))
    results = {name: {"total": 0, "items": []} for name in names}
    words = re.findall(r"\w+", q.lower())
    if words:
        arms = " UNION ALL ".join(f"SELECT {GROUPS[n][3]} FROM {GROUPS[n][1]} WHERE {GROUPS[n][1]} MATCH :m" for n in names)
        rows = db.session.execute(text(
            "SELECT grp, id, a, b, total FROM (SELECT grp, id, a, b, "
            "row_number() OVER (PARTITION BY grp ORDER BY score, id) AS n, count(*) OVER (PARTITION BY grp) AS total "
            f"FROM ({arms})) WHERE n <= :limit ORDER BY grp, n"),
            {"m": " ".join('"%s"' % w for w in words), "limit": int(limit)})
        for grp, id_, a, b, total in rows:
            results[grp]["total"] = total
            item = {"posts": lambda: {"id": id_, "title": a}, "users": lambda: {"id": id_, "username": a, "display_name": b},
                    "tags": lambda: {"id": id_, "name": a}}[grp]()
            results[grp]["items"].append(item)
    return {"query": q, "results": results}


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "site.db")
    app.config.update(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    app.register_blueprint(api)
    app.register_error_handler(HTTPException, lambda e: ({"error": e.description}, e.code))
    with app.app_context():
        db.create_all()
        with db.engine.begin() as conn:
            for statement in ddl():
                conn.execute(text(statement))
    return app
