"""Checks for f3-tags: posts and tags, many-to-many through post_tags.

Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
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
    data = expect_json(client.post("/posts", json={"title": title, "body": "About " + title}), status=201)
    assert isinstance(data, dict) and isinstance(data.get("id"), int), "POST /posts should answer the new post with its id."
    return data


def _tag(client, post_id, name, status=201):
    return expect_json(client.post("/posts/%d/tags" % post_id, json={"name": name}), status=status)


def _tags_of(client, post_id):
    data = expect_json(client.get("/posts/%d" % post_id), status=200)
    assert isinstance(data, dict) and isinstance(data.get("tags"), list), (
        'GET /posts/<id> should answer the post with a "tags" list of tag names, like ["flask", "python"].'
    )
    return data["tags"]


def _require_tables(db_inspect):
    tables = db_inspect.tables()
    missing = [t for t in ("tag", "post_tags") if t not in tables]
    assert not missing, "The database lacks the table(s) %s (tables: %s)." % (", ".join(missing), ", ".join(tables))


@pytest.mark.req(1)
def test_association_table(db_inspect):
    """The post_tags table links post.id and tag.id with two foreign keys, the pair its primary key"""
    _require_tables(db_inspect)
    keys = db_inspect.query("PRAGMA foreign_key_list('post_tags')")
    links = sorted((k.get("from"), k.get("table"), k.get("to")) for k in keys)
    assert links == [("post_id", "post", "id"), ("tag_id", "tag", "id")], (
        "post_tags should have exactly two foreign keys: post_id -> post.id and tag_id -> tag.id. Found: %r" % links
    )
    pk = sorted(c["name"] for c in db_inspect.column_info("post_tags") if c["primary_key"])
    assert pk == ["post_id", "tag_id"], (
        "The pair (post_id, tag_id) should be post_tags' composite primary key, so the database itself "
        "refuses the same pair twice: give both columns primary_key=True. The primary key is now: %s" % (pk or "none")
    )


@pytest.mark.req(2)
def test_tag_model(db_inspect):
    """The tag table has id and name: up to 50 characters, NOT NULL and UNIQUE"""
    _require_tables(db_inspect)
    info = {c["name"]: c for c in db_inspect.column_info("tag")}
    assert {"id", "name"} <= set(info), "The tag table needs the columns id and name; it has: %s" % ", ".join(info)
    assert not info["name"]["nullable"], "tag.name should be required: db.Column(..., nullable=False)."
    assert "50" in info["name"]["type"], "tag.name should hold up to 50 characters: db.String(50); it is %s." % info["name"]["type"]
    unique = False
    for index in db_inspect.query("PRAGMA index_list('tag')"):
        if index.get("unique"):
            cols = [c.get("name") for c in db_inspect.query("PRAGMA index_info('%s')" % index["name"].replace("'", "''"))]
            unique = unique or cols == ["name"]
    assert unique, (
        "tag.name should be unique, so the database refuses a second tag with the same name: "
        "db.Column(db.String(50), unique=True, nullable=False)."
    )


@pytest.mark.req(3, 4)
def test_tag_a_post(client, db_inspect):
    """POST /posts/<id>/tags answers 201 and the post then lists the tag"""
    post = _post(client, "Flask tips")
    data = _tag(client, post["id"], "flask")
    assert isinstance(data, dict) and data.get("tags") == ["flask"], (
        'POST /posts/<id>/tags should answer the post JSON with "tags": ["flask"]; it answered %r.' % data
    )
    _tag(client, post["id"], "web")
    assert sorted(_tags_of(client, post["id"])) == ["flask", "web"], "GET /posts/<id> should list both tags of the post."
    assert sorted(r["name"] for r in _rows(db_inspect, "tag")) == ["flask", "web"], "The tag table should hold the tags flask and web."
    assert len(_rows(db_inspect, "post_tags")) == 2, "post_tags should hold one row per (post, tag) pair: 2 rows."


@pytest.mark.req(5)
def test_tags_are_reused(client, db_inspect):
    """Tagging two posts with the same name reuses one tag row"""
    first = _post(client, "One")
    second = _post(client, "Two")
    _tag(client, first["id"], "python")
    response = client.post("/posts/%d/tags" % second["id"], json={"name": "python"})
    # The most specific diagnosis first: a second tag row with the same name is what the unique
    # constraint refuses, whatever status the app then answers.
    assert response.status_code == 201, (
        "Tagging a second post with the existing name 'python' answered %d instead of 201: reuse the "
        "tag named 'python' (look it up by name first) instead of creating a second one." % response.status_code
    )
    _require_tables(db_inspect)
    names = [r["name"] for r in _rows(db_inspect, "tag")]
    assert names == ["python"], (
        "Both posts should share the same 'python' tag row; the tag table holds: %r. Look the tag up by name "
        "before creating it." % names
    )
    assert len(_rows(db_inspect, "post_tags")) == 2, "post_tags should link both posts to that one tag (2 rows)."
    assert _tags_of(client, first["id"]) == ["python"] and _tags_of(client, second["id"]) == ["python"], (
        "Both posts should list the tag 'python'."
    )


@pytest.mark.req(6)
def test_same_tag_twice_is_harmless(client, db_inspect):
    """Adding a tag a post already has answers 200 and creates no duplicate"""
    post = _post(client, "Repeat")
    _tag(client, post["id"], "flask")
    expect_status(client.post("/posts/%d/tags" % post["id"], json={"name": "flask"}), 200,
                  msg="The post already has the tag 'flask': nothing was created, so answer 200, not 201.")
    assert _tags_of(client, post["id"]) == ["flask"], "The post should list 'flask' once, not twice."
    assert len(_rows(db_inspect, "post_tags")) == 1, "post_tags should hold the (post, flask) pair only once."
    assert len(_rows(db_inspect, "tag")) == 1, "There should be a single 'flask' row in the tag table."


@pytest.mark.req(8)
def test_posts_with_tag(client):
    """GET /tags/<name>/posts lists the posts with that tag; an unknown tag answers 404"""
    a = _post(client, "A")
    b = _post(client, "B")
    c = _post(client, "C")
    _tag(client, a["id"], "python")
    _tag(client, b["id"], "flask")
    _tag(client, c["id"], "python")
    data = expect_json(client.get("/tags/python/posts"), status=200)
    assert isinstance(data, list), "GET /tags/<name>/posts should answer a JSON list of posts."
    got = sorted((p.get("id"), p.get("title")) for p in data if isinstance(p, dict))
    assert got == [(a["id"], "A"), (c["id"], "C")], (
        'GET /tags/python/posts should list posts A and C as {"id": ..., "title": ...}; it listed: %r' % data
    )
    expect_status(client.get("/tags/nope/posts"), 404, msg="There is no tag named 'nope'.")


@pytest.mark.req(7)
def test_tag_errors(client, db_inspect):
    """Tagging a missing post answers 404; a blank tag name answers 400; nothing is stored"""
    expect_status(client.post("/posts/9999/tags", json={"name": "ghost"}), 404, msg="There is no post 9999.")
    post = _post(client, "Real")
    expect_status(client.post("/posts/%d/tags" % post["id"], json={"name": "  "}), 400, msg="A blank tag name is refused.")
    expect_status(client.post("/posts/%d/tags" % post["id"], json={}), 400, msg="A tag needs a name.")
    _require_tables(db_inspect)
    assert len(_rows(db_inspect, "tag")) == 0, (
        "Refused tags must not be stored in the tag table; after a tag for the missing post 9999, a blank "
        "name and no name, it holds %r. Look the post up (404) and check the name (400) before you add "
        "or commit a Tag." % [r.get("name") for r in _rows(db_inspect, "tag")]
    )
