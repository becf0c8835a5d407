"""Checks for f4-xss-sqli: what users write is shown as text and never runs as SQL. Each check
names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

from flask_tutor_pytest import expect_json, expect_status

SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG = "<img src=x onerror=alert(1)>"
IMG_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


def _comment(client, author, body):
    expect_status(client.post("/comments", json={"author": author, "body": body}), 201,
                  msg="Posting a comment (already written) should work.")


def _page(client):
    return expect_status(client.get("/comments"), 200).get_data(as_text=True)


def _user(client, username, email):
    expect_status(client.post("/users", json={"username": username, "email": email}), 201,
                  msg="Creating a user (already written) should work.")


def _search(client, username):
    return client.get("/users/search", query_string={"username": username})


def _seed_users(client):
    _user(client, "alice", "alice@example.com")
    _user(client, "bob", "bob@secret.example")


@pytest.mark.req(2)
def test_script_in_comment_body_is_escaped(client):
    """A comment body with a <script> tag is shown escaped, as text"""
    _comment(client, "mallory", SCRIPT)
    html = _page(client)
    assert SCRIPT not in html, (
        "GET /comments puts the comment's <script> tag into the page as real HTML: every visitor "
        "would run it. Remove |safe from the body in templates/comments.html (and build no HTML "
        "with Markup(f\"...\") around it)."
    )
    assert SCRIPT_ESCAPED in html, (
        "The comment should still be shown, escaped as text (%s); it is missing from GET /comments." % SCRIPT_ESCAPED
    )


@pytest.mark.req(3)
def test_html_in_comment_author_is_escaped(client):
    """A comment author with HTML in it is shown escaped, as text"""
    _comment(client, IMG, "Nice page")
    html = _page(client)
    assert IMG not in html, (
        "GET /comments puts the author's <img onerror=...> tag into the page as real HTML. "
        "Markup(f\"...{value}...\") in Python and |safe in the template both mark the value safe "
        "without escaping it: print the author with a plain {{ ... }} in the template (no |safe), or "
        "use Markup(\"<strong>{}</strong>\").format(value)."
    )
    assert IMG_ESCAPED in html, (
        "The author should still be shown, escaped as text (%s); it is missing from GET /comments." % IMG_ESCAPED
    )


@pytest.mark.req(4)
def test_or_injection_returns_nothing(client):
    """Searching for ' OR '1'='1 finds no user instead of listing them all"""
    _seed_users(client)
    data = expect_json(_search(client, "' OR '1'='1"), status=200)
    assert data == [], (
        "GET /users/search?username=' OR '1'='1 answered %r. No user has that name, so the answer "
        "should be []. The search text is being read as SQL: pass it as a bound parameter." % data
    )


@pytest.mark.req(5)
def test_union_injection_leaks_nothing(client):
    """A UNION SELECT in the search text cannot read other tables"""
    _seed_users(client)
    data = expect_json(_search(client, "x' UNION SELECT name, sql FROM sqlite_master --"), status=200)
    assert data == [], (
        "A search with UNION SELECT ... FROM sqlite_master answered %r: it read the database's "
        "schema. Pass the search text as a bound parameter instead of an f-string." % data
    )


@pytest.mark.req(6)
def test_search_still_works(client):
    """The search still finds users by exact name, even with an apostrophe (o'brien)"""
    _seed_users(client)
    _user(client, "o'brien", "ob@example.com")
    expect_json(_search(client, "alice"), [{"username": "alice", "email": "alice@example.com"}], status=200, subset=True)
    expect_json(_search(client, "o'brien"), [{"username": "o'brien", "email": "ob@example.com"}], status=200, subset=True,
                msg="A name with a quote is just a name.")
    for text in ("%", "_lice", "ALICE"):
        expect_json(_search(client, text), [], status=200,
                    msg=f"No username is exactly {text!r}: the search compares with ==, not LIKE (where % and _ are wildcards) or a case-insensitive match.")


@pytest.mark.req(1)
def test_comments_are_stored_unchanged(client, db_inspect):
    """POST /comments answers 201 and stores what was written, unescaped: escaping is for showing"""
    _comment(client, "mallory", SCRIPT)
    rows = db_inspect.rows("comment") if "comment" in db_inspect.tables() else []
    bodies = [r.get("body") for r in rows]
    assert bodies == [SCRIPT], (
        "The comment table should store the body exactly as written (%r); it holds %r. Escape when the "
        "page shows a comment (Jinja's {{ ... }}), not before storing it: the data stays usable "
        "elsewhere (a JSON API, an e-mail) and is never escaped twice." % (SCRIPT, bodies)
    )
