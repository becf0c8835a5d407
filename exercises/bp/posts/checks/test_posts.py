"""Checks for bp-posts: posts with drafts, publishing and unique slugs. Each check names the
brief's numbered requirements it covers (@pytest.mark.req)."""
import time
from datetime import datetime, timezone

import pytest

ALICE = {"username": "alice_01", "password": "correct-horse-42"}
BOB = {"username": "bob_02", "password": "another-secret-9"}
POST_KEYS = ["author", "body", "created_at", "id", "published_at", "slug", "status", "title"]


def _json(response, what):
    assert response.is_json, (
        f"{what} should answer JSON, got Content-Type {response.content_type!r} (status {response.status_code})"
    )
    return response.get_json()


def _error(response, what):
    body = _json(response, what)
    assert isinstance(body, dict) and isinstance(body.get("error"), str), f'{what} should be {{"error": "..."}}, got {body}'


def _sign_in(client, user):
    """Register and log in as user on this client (auth.py is given)."""
    response = client.post("/api/auth/register", json=user)
    assert response.status_code == 201, f"registering {user['username']} should answer 201, got {response.status_code}"
    response = client.post("/api/auth/login", json=user)
    assert response.status_code == 200, f"logging in as {user['username']} should answer 200, got {response.status_code}"
    return response.get_json()["id"]


def _create(client, data, status=201):
    response = client.post("/api/posts", json=data)
    assert response.status_code == status, (
        f"POST /api/posts with {str(data)[:120]} should answer {status}, got {response.status_code}: "
        f"{response.get_data(as_text=True)[:200]}"
    )
    return _json(response, "POST /api/posts")


def _patch(client, slug, data, status=200):
    response = client.patch(f"/api/posts/{slug}", json=data)
    assert response.status_code == status, (
        f"PATCH /api/posts/{slug} with {data} should answer {status}, got {response.status_code}: "
        f"{response.get_data(as_text=True)[:200]}"
    )
    return _json(response, f"PATCH /api/posts/{slug}")


def _public_list(app):
    response = app.test_client().get("/api/posts")
    assert response.status_code == 200, f"GET /api/posts (not logged in) should answer 200, got {response.status_code}"
    body = _json(response, "GET /api/posts")
    assert isinstance(body, dict) and isinstance(body.get("posts"), list), f'GET /api/posts should answer {{"posts": [...]}}, got {str(body)[:200]}'
    return body["posts"]


def _time(value, what):
    assert isinstance(value, str), f"{what} should be an ISO 8601 string, got {value!r}"
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise AssertionError(f"{what} should be an ISO 8601 date-time like 2026-05-04T10:00:00Z, got {value!r}") from None


POST = {"title": "Hello, World!", "body": "My first post."}


@pytest.mark.req(1)
def test_login_required(client, app):
    """Without a login, POST /api/posts and PATCH /api/posts/<slug> answer 401"""
    response = client.post("/api/posts", json=POST)
    assert response.status_code == 401, f"POST /api/posts without logging in should answer 401, got {response.status_code}"
    _error(response, "The 401 of POST /api/posts")
    author = app.test_client()
    _sign_in(author, ALICE)
    slug = _create(author, dict(POST, status="published"))["slug"]
    response = client.patch(f"/api/posts/{slug}", json={"title": "Hacked"})
    assert response.status_code == 401, f"PATCH /api/posts/{slug} without logging in should answer 401, got {response.status_code}"
    _error(response, f"The 401 of PATCH /api/posts/{slug}")


@pytest.mark.req(2)
def test_create_draft(client):
    """POST /api/posts answers 201 with a draft: the right keys, trimmed title, author's username"""
    _sign_in(client, ALICE)
    post = _create(client, {"title": "  Hello, World!  ", "body": "My first post."})
    assert sorted(post) == POST_KEYS, f"a post should have exactly the keys {POST_KEYS}, got {sorted(post)}"
    assert isinstance(post["id"], int), f'"id" should be an integer, got {post["id"]!r}'
    expected = {"title": "Hello, World!", "body": "My first post.", "status": "draft", "author": "alice_01", "published_at": None}
    got = {k: post.get(k) for k in expected}
    assert got == expected, f"a post created without status should be a draft {expected}, got {got}"
    _time(post["created_at"], "created_at")


@pytest.mark.req(3)
def test_validation(client):
    """title 1-200 characters, body not empty and at most 10000, status draft/published; 400 otherwise"""
    _sign_in(client, ALICE)
    _create(client, {"title": "t" * 200, "body": "b" * 10000})
    _create(client, {"title": "x", "body": "y", "status": "published"})
    for data, what in (
        ({"title": "t" * 201, "body": "b"}, "a 201-character title"),
        ({"title": "   ", "body": "b"}, "a title of spaces only"),
        ({"body": "b"}, "no title"),
        ({"title": 42, "body": "b"}, "a title that is not a string"),
        ({"title": "t"}, "no body"),
        ({"title": "t", "body": "   "}, "a body of spaces only"),
        ({"title": "t", "body": "b" * 10001}, "a 10001-character body"),
        ({"title": "t", "body": ["b"]}, "a body that is not a string"),
        ({"title": "t", "body": "b", "status": "public"}, 'status "public"'),
        ({"title": "t", "body": "b", "status": "Published"}, 'status "Published" (lower-case only)'),
    ):
        response = client.post("/api/posts", json=data)
        assert response.status_code == 400, f"POST /api/posts with {what} should answer 400, got {response.status_code}"
        _error(response, f"The 400 for {what}")
    response = client.post("/api/posts", data="{not json", content_type="application/json")
    assert response.status_code == 400, f"POST /api/posts with a body that is not JSON should answer 400, got {response.status_code}"
    slug = _create(client, POST)["slug"]
    for data, what in (({"title": ""}, "an empty title"), ({"body": "b" * 10001}, "a 10001-character body"), ({"status": "gone"}, 'status "gone"')):
        response = client.patch(f"/api/posts/{slug}", json=data)
        assert response.status_code == 400, f"PATCH /api/posts/{slug} with {what} should answer 400, got {response.status_code}"
    response = client.get(f"/api/posts/{slug}")
    assert response.get_json().get("title") == "Hello, World!", "a refused PATCH should change nothing"


@pytest.mark.req(4)
def test_slugify(client):
    """The slug: lower-case, runs of other characters become one '-', trimmed; 'post' when empty"""
    _sign_in(client, ALICE)
    for title, slug in (
        ("  Hello, World!  Flask 3.1", "hello-world-flask-3-1"),
        ("--Python_&_Flask--", "python-flask"),
        ("Café au lait", "caf-au-lait"),
        ("¡¡!!", "post"),
    ):
        got = _create(client, {"title": title, "body": "b"}).get("slug")
        assert got == slug, f"the title {title!r} should give the slug {slug!r}, got {got!r}"


@pytest.mark.req(5)
def test_slug_collisions(client, app):
    """A taken slug gets -2, -3, ...; the first post keeps its slug and content"""
    _sign_in(client, ALICE)
    first = _create(client, {"title": "Hello World", "body": "the first"})
    bob = app.test_client()
    _sign_in(bob, BOB)
    second = _create(bob, {"title": "hello, world", "body": "the second", "status": "published"})
    third = _create(client, {"title": "HELLO WORLD!", "body": "the third"})
    slugs = [first.get("slug"), second.get("slug"), third.get("slug")]
    assert slugs == ["hello-world", "hello-world-2", "hello-world-3"], (
        "three posts titled 'Hello World' (by two authors, drafts and published) should get the slugs "
        f"hello-world, hello-world-2, hello-world-3, got {slugs}: a slug collision must not overwrite or repeat a slug"
    )
    got = client.get("/api/posts/hello-world").get_json() or {}
    assert (got.get("id"), got.get("body")) == (first["id"], "the first"), (
        f"after the collisions GET /api/posts/hello-world should still be the first post, got {got}"
    )
    renamed = _patch(client, "hello-world", {"title": "Something else"})
    assert renamed.get("slug") == "hello-world", f"changing the title must not change the slug, got {renamed.get('slug')!r}"


@pytest.mark.req(6)
def test_published_at_set_once(client):
    """Publishing sets published_at the first time only; unpublish and publish again keep it"""
    _sign_in(client, ALICE)
    post = _create(client, POST)
    slug = post["slug"]
    published = _patch(client, slug, {"status": "published"})
    assert published.get("status") == "published", f'PATCH {{"status": "published"}} should publish the post, got {published}'
    first = _time(published.get("published_at"), "published_at of a published post")
    now = datetime.now(timezone.utc)
    assert abs((now - (first if first.tzinfo else first.replace(tzinfo=timezone.utc))).total_seconds()) < 300, (
        f"published_at should be the current UTC time ({now.isoformat()}), got {published.get('published_at')}"
    )
    time.sleep(0.05)
    draft = _patch(client, slug, {"status": "draft"})
    assert draft.get("status") == "draft", f'PATCH {{"status": "draft"}} should unpublish the post, got {draft}'
    assert draft.get("published_at") == published["published_at"], (
        f"unpublishing should keep published_at {published['published_at']!r}, got {draft.get('published_at')!r}"
    )
    time.sleep(0.05)
    again = _patch(client, slug, {"status": "published"})
    assert again.get("published_at") == published["published_at"], (
        f"published_at is set only the first time: publishing again should keep {published['published_at']!r}, "
        f"got {again.get('published_at')!r} (published_at was reset on re-publish)"
    )
    direct = _create(client, {"title": "Straight out", "body": "b", "status": "published"})
    assert direct.get("status") == "published", f'a post created with "status": "published" should be published, got {direct}'
    _time(direct.get("published_at"), "published_at of a post created published")


@pytest.mark.req(7)
def test_public_list(client, app):
    """GET /api/posts lists published posts of everyone, newest published_at first, never drafts"""
    _sign_in(client, ALICE)
    old = _create(client, {"title": "Old draft", "body": "b"})
    time.sleep(0.02)
    _create(client, {"title": "Early bird", "body": "b", "status": "published"})
    time.sleep(0.02)
    bob = app.test_client()
    _sign_in(bob, BOB)
    _create(bob, {"title": "Bob's news", "body": "b", "status": "published"})
    _create(client, {"title": "Secret plan", "body": "b"})
    time.sleep(0.02)
    _patch(client, old["slug"], {"status": "published"})
    titles = [p.get("title") for p in _public_list(app)]
    assert "Secret plan" not in titles, f"GET /api/posts listed a draft (draft visible publicly): {titles}"
    assert titles == ["Old draft", "Bob's news", "Early bird"], (
        "GET /api/posts should list the published posts of every author, newest published_at first "
        f"(a post created earlier but published last comes first): expected ['Old draft', \"Bob's news\", 'Early bird'], got {titles}"
    )
    mine = client.get("/api/posts").get_json() or {}
    assert "Secret plan" not in [p.get("title") for p in mine.get("posts", [])], "drafts are not listed even for their author"


@pytest.mark.req(8)
def test_draft_visibility(client, app):
    """A draft answers 404 to the public and to other users, 200 to its author"""
    _sign_in(client, ALICE)
    draft = _create(client, {"title": "Work in progress", "body": "not yet"})
    published = _create(client, {"title": "Out now", "body": "read me", "status": "published"})
    anonymous = app.test_client()
    response = anonymous.get(f"/api/posts/{published['slug']}")
    assert response.status_code == 200 and (response.get_json() or {}).get("body") == "read me", (
        f"GET /api/posts/{published['slug']} (published, not logged in) should answer 200 with the post, got {response.status_code}"
    )
    response = anonymous.get(f"/api/posts/{draft['slug']}")
    assert response.status_code == 404, (
        f"GET /api/posts/{draft['slug']} of a draft, not logged in, should answer 404, got {response.status_code} (draft visible publicly)"
    )
    _error(response, "The 404 of a draft")
    bob = app.test_client()
    _sign_in(bob, BOB)
    response = bob.get(f"/api/posts/{draft['slug']}")
    assert response.status_code == 404, f"another user's draft should answer 404, got {response.status_code}"
    assert response.get_json() == anonymous.get("/api/posts/no-such-post").get_json(), (
        "a draft should answer the same 404 body as a slug that does not exist"
    )
    response = client.get(f"/api/posts/{draft['slug']}")
    assert response.status_code == 200 and (response.get_json() or {}).get("status") == "draft", (
        f"the author should see their own draft (200), got {response.status_code}"
    )


@pytest.mark.req(9)
def test_patch_by_author_only(client, app):
    """PATCH by the author updates and saves; another user gets 403 (published) or 404 (draft)"""
    _sign_in(client, ALICE)
    draft = _create(client, {"title": "Draft", "body": "original"})
    published = _create(client, {"title": "Published", "body": "original", "status": "published"})
    updated = _patch(client, draft["slug"], {"body": "better"})
    assert updated.get("body") == "better", f"PATCH should answer the updated post, got {updated}"
    assert (client.get(f"/api/posts/{draft['slug']}").get_json() or {}).get("body") == "better", "the PATCH should be saved"
    bob = app.test_client()
    _sign_in(bob, BOB)
    response = bob.patch(f"/api/posts/{published['slug']}", json={"body": "bob was here"})
    assert response.status_code == 403, f"another user's PATCH of a published post should answer 403, got {response.status_code}"
    response = bob.patch(f"/api/posts/{draft['slug']}", json={"body": "bob was here"})
    assert response.status_code == 404, f"another user's PATCH of a draft should answer 404 (it does not exist for them), got {response.status_code}"
    response = bob.patch("/api/posts/no-such-post", json={"body": "x"})
    assert response.status_code == 404, f"PATCH of an unknown slug should answer 404, got {response.status_code}"
    for slug, body in ((draft["slug"], "better"), (published["slug"], "original")):
        got = (client.get(f"/api/posts/{slug}").get_json() or {}).get("body")
        assert got == body, f"another user's PATCH must change nothing: {slug} should still say {body!r}, got {got!r}"
