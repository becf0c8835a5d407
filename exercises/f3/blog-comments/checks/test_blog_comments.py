"""Checks for f3-blog-comments: one post has many comments."""
import pytest

from flask_tutor_pytest import expect_json, expect_status


def _rows(db_inspect, table):
    """The rows of ``table``; a clear failure when the table does not exist."""
    tables = db_inspect.tables()
    assert table in tables, (
        "There is no table named %r in the database (tables: %s). Flask-SQLAlchemy names a "
        "model's table after its class (Todo -> todo) unless __tablename__ says otherwise."
        % (table, ", ".join(tables) or "none")
    )
    return db_inspect.rows(table)


def _post(client, title):
    data = expect_json(client.post("/posts", json={"title": title, "body": "Text of " + title}), status=201)
    assert isinstance(data, dict) and isinstance(data.get("id"), int), "POST /posts should answer the new post with its id."
    return data


def _comment(client, post_id, body):
    response = client.post("/posts/%d/comments" % post_id, json={"body": body})
    data = expect_json(response, status=201)
    assert isinstance(data, dict) and isinstance(data.get("id"), int), (
        "POST /posts/<id>/comments should answer the new comment as a JSON object with its integer id."
    )
    return data


@pytest.mark.req(1)
def test_comment_table_links_to_post(db_inspect):
    """The comment table has a post_id column that is a foreign key to post.id"""
    tables = db_inspect.tables()
    assert "comment" in tables, "There is no comment table yet (tables: %s). Define the Comment model." % ", ".join(tables)
    columns = db_inspect.columns("comment")
    missing = [c for c in ("id", "body", "post_id") if c not in columns]
    assert not missing, "The comment table lacks the column(s) %s; it has: %s." % (", ".join(missing), ", ".join(columns))
    keys = db_inspect.query("PRAGMA foreign_key_list('comment')")
    links = [(k.get("from"), k.get("table"), k.get("to")) for k in keys]
    assert ("post_id", "post", "id") in links, (
        "comment.post_id should be a foreign key to post.id: db.ForeignKey(\"post.id\"). Foreign keys found: %r" % links
    )
    info = {c["name"]: c for c in db_inspect.column_info("comment")}
    optional = [c for c in ("body", "post_id") if info[c]["nullable"]]
    assert not optional, (
        "comment.%s should be required, so the database refuses a comment without it: "
        "db.Column(..., nullable=False)." % " and comment.".join(optional)
    )


@pytest.mark.req(2, 4)
def test_add_comment(client, db_inspect):
    """POST /posts/<id>/comments answers 201 and stores the comment with its post_id"""
    post = _post(client, "Hello")
    response = client.post("/posts/%d/comments" % post["id"], json={"body": "Nice post!"})
    data = expect_json(response, status=201)
    assert isinstance(data, dict) and isinstance(data.get("id"), int), "The new comment's JSON should contain its id."
    expect_json(response, {"id": data["id"], "body": "Nice post!", "post_id": post["id"]}, subset=True)
    rows = [(r.get("body"), r.get("post_id")) for r in _rows(db_inspect, "comment")]
    assert rows == [("Nice post!", post["id"])], "The comment table should hold the new comment of post %d; it holds: %r" % (post["id"], rows)


@pytest.mark.req(3)
def test_post_includes_its_comments(client):
    """GET /posts/<id> includes the post's comments, oldest first, and only its own"""
    first = _post(client, "First")
    second = _post(client, "Second")
    c1 = _comment(client, first["id"], "Great")
    _comment(client, second["id"], "Not about the first post")
    c3 = _comment(client, first["id"], "Thanks")
    data = expect_json(client.get("/posts/%d" % first["id"]), status=200)
    assert isinstance(data, dict) and "comments" in data, 'GET /posts/<id> should answer the post with a "comments" list.'
    comments = data["comments"]
    assert isinstance(comments, list), '"comments" should be a JSON list.'
    got = [(c.get("id"), c.get("body")) for c in comments if isinstance(c, dict)]
    assert got == [(c1["id"], "Great"), (c3["id"], "Thanks")], (
        "Post %d should list exactly its two comments, oldest first; it lists: %r" % (first["id"], got)
    )


@pytest.mark.req(5)
def test_comment_on_missing_post(client, db_inspect):
    """Commenting on a post that does not exist answers 404; a blank comment answers 400"""
    expect_status(client.post("/posts/9999/comments", json={"body": "Hello?"}), 404, msg="There is no post 9999.")
    post = _post(client, "Real post")
    expect_status(client.post("/posts/%d/comments" % post["id"], json={"body": "  "}), 400, msg="A blank comment is refused.")
    assert "comment" in db_inspect.tables(), "There is no comment table yet."
    assert len(_rows(db_inspect, "comment")) == 0, "Refused comments must not be stored in the comment table."


@pytest.mark.req(6)
def test_deleting_post_deletes_its_comments(client, db_inspect):
    """DELETE /posts/<id> also deletes that post's comments (cascade), and only those"""
    doomed = _post(client, "Doomed")
    kept = _post(client, "Kept")
    _comment(client, doomed["id"], "Bye")
    _comment(client, doomed["id"], "Bye again")
    survivor = _comment(client, kept["id"], "Still here")
    expect_status(client.delete("/posts/%d" % doomed["id"]), 204)
    rows = [(r.get("id"), r.get("post_id")) for r in _rows(db_inspect, "comment")]
    assert (survivor["id"], kept["id"]) in rows, (
        "Deleting post %d also deleted the comment of post %d; the comment table holds (id, post_id): %r. "
        "Delete only that post's comments (the cascade on Post.comments does exactly that), never every "
        "comment: a db.delete(Comment) needs .where(Comment.post_id == ...)." % (doomed["id"], kept["id"], rows)
    )
    assert rows == [(survivor["id"], kept["id"])], (
        "After deleting post %d, only the comment of post %d should remain; the comment table holds (id, post_id): %r. "
        "Use cascade=\"all, delete-orphan\" on Post.comments." % (doomed["id"], kept["id"], rows)
    )
