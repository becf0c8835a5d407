"""Checks for bp-pagination: paged public and admin lists, a stable order, validated page
numbers. Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

ALICE = {"username": "alice_01", "password": "correct-horse-42"}
BOB = {"username": "bob_02", "password": "another-secret-9"}
ADMIN = {"username": "admin_03", "password": "admin-password-7"}
PAGE_KEYS = ["page", "pages", "per_page", "posts", "total"]


def _json(response, what):
    assert response.is_json, f"{what} should answer JSON, got Content-Type {response.content_type!r} (status {response.status_code})"
    return response.get_json()


def _user(app, user, db_inspect=None, role=None):
    client = app.test_client()
    assert client.post("/api/auth/register", json=user).status_code == 201, f"registering {user['username']} should answer 201"
    if role:
        db_inspect.execute('UPDATE "user" SET role = :role WHERE username = :name', {"role": role, "name": user["username"]})
    assert client.post("/api/auth/login", json=user).status_code == 200, f"logging in as {user['username']} should answer 200"
    return client


def _posts(client, n, status="published", prefix="Post"):
    made = []
    for i in range(1, n + 1):
        response = client.post("/api/posts", json={"title": f"{prefix} {i:02d}", "body": "text", "status": status})
        assert response.status_code == 201, f"POST /api/posts should answer 201 (stage 1), got {response.status_code}"
        made.append(response.get_json())
    return made


def _page(client, query, status=200):
    response = client.get("/api/posts" + query)
    assert response.status_code == status, (
        f"GET /api/posts{query} should answer {status}, got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    )
    return _json(response, f"GET /api/posts{query}")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rels = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("rel"):
            for rel in attrs["rel"].split():
                self.rels.setdefault(rel, attrs.get("href") or "")


def _admin_page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, f"GET {path} as an admin should answer {status}, got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    html = response.get_data(as_text=True)
    links = _Links()
    links.feed(html)
    return html, links.rels


def _check_link(rels, rel, list_path, page, where):
    href = rels.get(rel)
    assert href is not None, f'{where} should have a link <a rel="{rel}" href="{list_path}?page={page}">, found rel links {rels}'
    url = urlsplit(href)
    got = parse_qs(url.query).get("page", [None])[0]
    assert url.path == list_path and got == str(page), f'the rel="{rel}" link on {where} should point at {list_path}?page={page}, got {href!r}'


@pytest.mark.req(1)
def test_page_shape_and_defaults(app):
    """GET /api/posts answers posts, page, per_page, total, pages; defaults 1 and 10; drafts not counted"""
    alice = _user(app, ALICE)
    _posts(alice, 23)
    _posts(alice, 4, status="draft", prefix="Draft")
    body = _page(app.test_client(), "")
    assert isinstance(body, dict) and sorted(body) == PAGE_KEYS, f"GET /api/posts should answer exactly the keys {PAGE_KEYS}, got {sorted(body) if isinstance(body, dict) else body}"
    got = {k: body[k] for k in ("page", "per_page", "total", "pages")}
    assert got == {"page": 1, "per_page": 10, "total": 23, "pages": 3}, (
        f"with 23 published posts (and 4 drafts), GET /api/posts should say page 1, per_page 10, total 23 (drafts not counted), pages 3; got {got}"
    )
    assert len(body["posts"]) == 10, f"the first page should hold 10 posts, got {len(body['posts'])}"
    last = _page(app.test_client(), "?page=3&per_page=10")
    assert len(last["posts"]) == 3, f"page 3 of 23 posts (10 per page) should hold 3 posts, got {len(last['posts'])}"
    seven = _page(app.test_client(), "?per_page=7")
    assert (seven.get("per_page"), seven.get("pages"), len(seven["posts"])) == (7, 4, 7), (
        f"per_page=7 with 23 posts should give per_page 7, pages 4 and 7 posts, got {(seven.get('per_page'), seven.get('pages'), len(seven['posts']))}"
    )


@pytest.mark.req(1)
def test_empty_blog(app):
    """No published post: total 0 and pages 0"""
    alice = _user(app, ALICE)
    _posts(alice, 2, status="draft")
    body = _page(app.test_client(), "")
    got = (body.get("posts"), body.get("total"), body.get("pages"))
    assert got == ([], 0, 0), f"with only drafts GET /api/posts should answer posts [], total 0 and pages 0, got {got}"


@pytest.mark.req(2)
def test_order_is_stable_across_pages(app, db_inspect):
    """Newest published_at first, ties broken by the higher id: every post exactly once"""
    alice = _user(app, ALICE)
    late = _posts(alice, 1, status="draft", prefix="Late")[0]
    made = _posts(alice, 11)
    assert alice.patch(f"/api/posts/{late['slug']}", json={"status": "published"}).status_code == 200, "publishing with PATCH (stage 1) should answer 200"
    first = _page(app.test_client(), "?per_page=5")["posts"]
    assert first and first[0].get("id") == late["id"], (
        "the post published last should come first (newest published_at first), even though it was created first"
    )
    # Now every post has the same published_at: only the id can order them.
    db_inspect.execute("UPDATE post SET published_at = (SELECT MIN(published_at) FROM post WHERE published_at IS NOT NULL) WHERE published_at IS NOT NULL")
    seen = []
    for page in (1, 2, 3):
        seen += [p.get("id") for p in _page(app.test_client(), f"?page={page}&per_page=5")["posts"]]
    expected = sorted([late["id"]] + [p["id"] for p in made], reverse=True)
    assert seen == expected, (
        "with the same published_at for every post, pages 1-3 (per_page=5) should give the ids in descending order, "
        f"each once (a tie-breaker on id): expected {expected}, got {seen}"
    )


@pytest.mark.req(3)
def test_invalid_numbers_are_refused(app):
    """page and per_page: digits only, at least 1, page at most 100000; 400 otherwise"""
    alice = _user(app, ALICE)
    _posts(alice, 2)
    for query in ("?page=0", "?page=-1", "?page=1.5", "?page=abc", "?page=", "?page=100001",
                  "?per_page=0", "?per_page=-5", "?per_page=ten", "?per_page=2.0"):
        response = app.test_client().get("/api/posts" + query)
        assert response.status_code == 400, (
            f"GET /api/posts{query} should answer 400 ({query[1:]} is not a whole number of at least 1), got {response.status_code}: "
            "check the value yourself instead of falling back to the default"
        )
        body = _json(response, f"The 400 of GET /api/posts{query}")
        assert isinstance(body, dict) and isinstance(body.get("error"), str), f'the 400 should be {{"error": "..."}}, got {body}'


@pytest.mark.req(3)
def test_per_page_is_clamped(app):
    """per_page above 50 is used as 50; page 100000 is allowed"""
    alice = _user(app, ALICE)
    _posts(alice, 53)
    body = _page(app.test_client(), "?per_page=1000")
    got = (body.get("per_page"), len(body.get("posts", [])), body.get("pages"))
    assert got == (50, 50, 2), f"per_page=1000 should be clamped to 50 (per_page 50, 50 posts, pages 2 of 53 posts), got {got}"
    _page(app.test_client(), "?page=100000")


@pytest.mark.req(4)
def test_page_after_the_last(app):
    """A page after the last answers 200 with no posts and the same total and pages"""
    alice = _user(app, ALICE)
    _posts(alice, 12)
    body = _page(app.test_client(), "?page=5&per_page=5")
    got = (body.get("posts"), body.get("page"), body.get("total"), body.get("pages"))
    assert got == ([], 5, 12, 3), f"page 5 of 12 posts (5 per page) should answer posts [], page 5, total 12, pages 3, got {got}"


@pytest.mark.req(5, 6)
def test_admin_posts_pages(app, db_inspect):
    """/admin/posts: 20 per page newest first, with rel=prev/next links"""
    alice = _user(app, ALICE)
    made = _posts(alice, 25, status="draft")
    admin = _user(app, ADMIN, db_inspect, "admin")
    html, rels = _admin_page(admin, "/admin/posts")
    shown = [p["title"] for p in made if p["title"] in html]
    expected = [p["title"] for p in made[-20:]]
    assert sorted(shown) == sorted(expected), f"/admin/posts (page 1) should show the 20 newest posts (Post 06 to Post 25), it shows {len(shown)}: {shown[:3]}..."
    positions = [html.find(t) for t in reversed(expected)]
    assert positions == sorted(positions), "/admin/posts should list the posts newest first (higher id first)"
    _check_link(rels, "next", "/admin/posts", 2, "/admin/posts (page 1)")
    assert "prev" not in rels, f'page 1 of /admin/posts should have no rel="prev" link, found {rels["prev"]!r}'
    html, rels = _admin_page(admin, "/admin/posts?page=2")
    shown = [p["title"] for p in made if p["title"] in html]
    assert sorted(shown) == [p["title"] for p in made[:5]], f"/admin/posts?page=2 should show the 5 oldest posts, it shows {shown}"
    _check_link(rels, "prev", "/admin/posts", 1, "/admin/posts?page=2")
    assert "next" not in rels, f'the last page of /admin/posts should have no rel="next" link, found {rels["next"]!r}'
    for query in ("?page=0", "?page=x"):
        response = admin.get("/admin/posts" + query)
        assert response.status_code == 400, f"GET /admin/posts{query} should answer 400, got {response.status_code}"


@pytest.mark.req(5, 6)
def test_admin_comments_pages(app, db_inspect):
    """/admin/comments: 20 pending comments per page oldest first, with rel=prev/next links"""
    alice = _user(app, ALICE)
    slug = _posts(alice, 1)[0]["slug"]
    bob = _user(app, BOB)
    bodies = [f"comment number {i:02d}" for i in range(1, 23)]
    for body in bodies:
        assert bob.post(f"/api/posts/{slug}/comments", json={"body": body}).status_code == 201, "commenting (stage 2) should answer 201"
    admin = _user(app, ADMIN, db_inspect, "admin")
    html, rels = _admin_page(admin, "/admin/comments")
    shown = [b for b in bodies if b in html]
    assert shown == bodies[:20], f"/admin/comments (page 1) should show the 20 oldest pending comments, it shows {len(shown)}"
    positions = [html.find(b) for b in bodies[:20]]
    assert positions == sorted(positions), "/admin/comments should list the pending comments oldest first"
    _check_link(rels, "next", "/admin/comments", 2, "/admin/comments (page 1)")
    html, rels = _admin_page(admin, "/admin/comments?page=2")
    assert [b for b in bodies if b in html] == bodies[20:], "/admin/comments?page=2 should show the last 2 pending comments"
    _check_link(rels, "prev", "/admin/comments", 1, "/admin/comments?page=2")
    assert "next" not in rels, 'the last page of /admin/comments should have no rel="next" link'
    response = admin.get("/admin/comments?page=-2")
    assert response.status_code == 400, f"GET /admin/comments?page=-2 should answer 400, got {response.status_code}"
