"""Checks for bp-comments: comments wait for moderation, only approved ones are shown. Each
check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

ALICE = {"username": "alice_01", "password": "correct-horse-42"}  # writes posts
BOB = {"username": "bob_02", "password": "another-secret-9"}  # comments
MOD = {"username": "mod_03", "password": "moderator-pass-7"}  # promoted to moderator
COMMENT_KEYS = ["author", "body", "created_at", "id", "post", "status"]


def _json(response, what):
    assert response.is_json, (
        f"{what} should answer JSON, got Content-Type {response.content_type!r} (status {response.status_code})"
    )
    return response.get_json()


def _error(response, what):
    body = _json(response, what)
    assert isinstance(body, dict) and isinstance(body.get("error"), str), f'{what} should be {{"error": "..."}}, got {body}'


def _client(app, user, db_inspect=None, role=None):
    """A new client, registered and logged in as user (promoted to role in the database)."""
    client = app.test_client()
    response = client.post("/api/auth/register", json=user)
    assert response.status_code == 201, f"registering {user['username']} should answer 201, got {response.status_code}"
    if role:
        db_inspect.execute('UPDATE "user" SET role = :role WHERE username = :name', {"role": role, "name": user["username"]})
    response = client.post("/api/auth/login", json=user)
    assert response.status_code == 200, f"logging in as {user['username']} should answer 200, got {response.status_code}"
    return client


def _post(client, title="Hello World", status="published"):
    response = client.post("/api/posts", json={"title": title, "body": "A post.", "status": status})
    assert response.status_code == 201, f"creating a post (stage 1) should answer 201, got {response.status_code}"
    return response.get_json()["slug"]


def _comment(client, slug, body, status=201):
    response = client.post(f"/api/posts/{slug}/comments", json={"body": body})
    assert response.status_code == status, (
        f"POST /api/posts/{slug}/comments with {{'body': {body[:60]!r}}} should answer {status}, got {response.status_code}: "
        f"{response.get_data(as_text=True)[:200]}"
    )
    return _json(response, f"POST /api/posts/{slug}/comments")


def _public(app, slug):
    response = app.test_client().get(f"/api/posts/{slug}/comments")
    assert response.status_code == 200, f"GET /api/posts/{slug}/comments (not logged in) should answer 200, got {response.status_code}"
    body = _json(response, f"GET /api/posts/{slug}/comments")
    assert isinstance(body, dict) and isinstance(body.get("comments"), list), f'should answer {{"comments": [...]}}, got {str(body)[:200]}'
    return [c.get("body") for c in body["comments"]]


def _moderate(client, comment_id, action, status=200):
    response = client.post(f"/api/comments/{comment_id}/{action}")
    assert response.status_code == status, (
        f"POST /api/comments/{comment_id}/{action} should answer {status}, got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    )
    return response


@pytest.fixture
def alice(app):
    return _client(app, ALICE)


@pytest.fixture
def bob(app):
    return _client(app, BOB)


@pytest.fixture
def moderator(app, db_inspect):
    return _client(app, MOD, db_inspect, "moderator")


@pytest.mark.req(1)
def test_login_required(alice, client):
    """POST /api/posts/<slug>/comments without a login answers 401"""
    slug = _post(alice)
    response = client.post(f"/api/posts/{slug}/comments", json={"body": "anonymous"})
    assert response.status_code == 401, f"commenting without logging in should answer 401, got {response.status_code}"
    _error(response, "The 401")


@pytest.mark.req(2)
def test_new_comment_is_pending(alice, bob):
    """A new comment answers 201, exactly its keys, status pending, the body kept as sent"""
    slug = _post(alice)
    comment = _comment(bob, slug, "  Nice post!  ")
    assert sorted(comment) == COMMENT_KEYS, f"a comment should have exactly the keys {COMMENT_KEYS}, got {sorted(comment)}"
    expected = {"post": slug, "author": "bob_02", "body": "Nice post!", "status": "pending"}
    got = {k: comment.get(k) for k in expected}
    assert got == expected, f"a new comment should be {expected} (pending, trimmed), got {got}"
    assert isinstance(comment["id"], int), f'"id" should be an integer, got {comment["id"]!r}'
    html = _comment(bob, slug, "<b>bold</b> & <script>x</script>")
    assert html.get("body") == "<b>bold</b> & <script>x</script>", (
        "the body should be saved exactly as sent (HTML kept as text; escaping happens when a page renders it), "
        f"got {html.get('body')!r}"
    )


@pytest.mark.req(3)
def test_body_limits(alice, bob, moderator):
    """The body is 1 to 1000 characters after trimming; 400 otherwise, nothing saved"""
    slug = _post(alice)
    _comment(bob, slug, "x")
    _comment(bob, slug, "c" * 1000)
    _comment(bob, slug, "  " + "c" * 1000 + "  ")
    for data, what in (
        ({"body": "c" * 1001}, "a 1001-character body"),
        ({"body": ""}, "an empty body"),
        ({"body": "   "}, "a body of spaces only"),
        ({}, "no body"),
        ({"body": 5}, "a body that is not a string"),
    ):
        response = bob.post(f"/api/posts/{slug}/comments", json=data)
        assert response.status_code == 400, f"a comment with {what} should answer 400 (comment body length limits), got {response.status_code}"
        _error(response, f"The 400 for {what}")
    response = bob.post(f"/api/posts/{slug}/comments", data="{oops", content_type="application/json")
    assert response.status_code == 400, f"a request body that is not JSON should answer 400, got {response.status_code}"
    pending = _json(moderator.get("/api/comments/pending"), "GET /api/comments/pending").get("comments", [])
    assert len(pending) == 3, f"only the 3 valid comments should be saved, found {len(pending)} pending"


@pytest.mark.req(4)
def test_only_published_posts(alice, bob, app):
    """A draft or an unknown slug takes no comments: 404 for POST and GET"""
    draft = _post(alice, "A draft", status="draft")
    for client, who in ((bob, "another user"), (alice, "its author")):
        response = client.post(f"/api/posts/{draft}/comments", json={"body": "early"})
        assert response.status_code == 404, f"commenting on a draft as {who} should answer 404, got {response.status_code}"
    response = app.test_client().get(f"/api/posts/{draft}/comments")
    assert response.status_code == 404, f"GET the comments of a draft should answer 404, got {response.status_code}"
    for method in ("get", "post"):
        response = getattr(bob, method)("/api/posts/no-such-post/comments", json={"body": "x"} if method == "post" else None)
        assert response.status_code == 404, f"{method.upper()} the comments of an unknown slug should answer 404, got {response.status_code}"


@pytest.mark.req(5, 7)
def test_only_approved_are_public(alice, bob, moderator, app):
    """Only approved comments are listed publicly, oldest first; rejecting hides one again"""
    slug = _post(alice)
    ids = [_comment(bob, slug, text)["id"] for text in ("first", "second", "third", "fourth")]
    assert _public(app, slug) == [], "a pending comment was shown publicly: list only the approved ones"
    for comment_id in (ids[2], ids[0], ids[3]):
        body = _json(_moderate(moderator, comment_id, "approve"), "approve")
        assert body.get("status") == "approved", f"approve should answer the comment with status approved, got {body}"
    rejected = _json(_moderate(moderator, ids[1], "reject"), "reject")
    assert rejected.get("status") == "rejected", f"reject should answer the comment with status rejected, got {rejected}"
    assert _public(app, slug) == ["first", "third", "fourth"], (
        f"the public list should be the approved comments oldest first ['first', 'third', 'fourth'], got {_public(app, slug)}"
    )
    _moderate(moderator, ids[3], "reject")
    assert _public(app, slug) == ["first", "third"], "rejecting an approved comment should hide it again"


@pytest.mark.req(6)
def test_pending_queue(alice, bob, moderator, app, db_inspect):
    """GET /api/comments/pending: every pending comment of every post, oldest first"""
    first, second = _post(alice, "One"), _post(alice, "Two")
    a = _comment(bob, second, "on two")
    b = _comment(bob, first, "on one")
    c = _comment(bob, second, "later")
    _moderate(moderator, b["id"], "approve")
    response = moderator.get("/api/comments/pending")
    assert response.status_code == 200, f"GET /api/comments/pending as a moderator should answer 200, got {response.status_code}"
    got = [(x.get("id"), x.get("post")) for x in _json(response, "GET /api/comments/pending").get("comments", [])]
    assert got == [(a["id"], second), (c["id"], second)], (
        f"the pending queue should hold the pending comments of every post oldest first {[(a['id'], second), (c['id'], second)]}, got {got}"
    )
    admin = _client(app, {"username": "admin_04", "password": "admin-password-1"}, db_inspect, "admin")
    assert admin.get("/api/comments/pending").status_code == 200, "an admin may read the pending queue too"


@pytest.mark.req(7)
def test_moderation_is_saved(alice, bob, moderator, app):
    """approve/reject answer 200 and are saved; an unknown id answers 404"""
    slug = _post(alice)
    comment = _comment(bob, slug, "keep me")
    _moderate(moderator, comment["id"], "approve")
    assert _public(app, slug) == ["keep me"], "the approved comment should be listed publicly (is the change committed?)"
    _moderate(moderator, 9999, "approve", status=404)
    _moderate(moderator, 9999, "reject", status=404)


@pytest.mark.req(8)
def test_moderation_needs_a_moderator(alice, bob, app, client, db_inspect):
    """Pending queue and approve/reject: 401 logged out, 403 for role user; nothing changes"""
    slug = _post(alice)
    comment = _comment(bob, slug, "spam spam spam")
    for path, method in (("/api/comments/pending", "get"), (f"/api/comments/{comment['id']}/approve", "post"), (f"/api/comments/{comment['id']}/reject", "post")):
        response = getattr(client, method)(path)
        assert response.status_code == 401, f"{method.upper()} {path} without logging in should answer 401, got {response.status_code}"
        response = getattr(bob, method)(path)
        assert response.status_code == 403, (
            f"{method.upper()} {path} by a user whose role is \"user\" should answer 403 (moderators and admins only), got {response.status_code}"
        )
        _error(response, f"The 403 of {path}")
    assert _public(app, slug) == [], "a plain user's approve must change nothing"
    admin = _client(app, {"username": "admin_04", "password": "admin-password-1"}, db_inspect, "admin")
    _moderate(admin, comment["id"], "approve")
    assert _public(app, slug) == ["spam spam spam"], "an admin may moderate too"
