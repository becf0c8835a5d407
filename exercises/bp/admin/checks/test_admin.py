"""Checks for bp-admin: role-protected server-rendered pages with CSRF-protected forms.

The checks keep CSRF protection as your app configures it (on, with Flask-WTF's defaults), load
each page like a browser and send its forms with and without their token. Each check names the
brief's numbered requirements it covers (@pytest.mark.req).
"""
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from flask_tutor_pytest import about

ALICE = {"username": "alice_01", "password": "correct-horse-42"}  # writes posts
BOB = {"username": "bob_02", "password": "another-secret-9"}  # comments, a plain user
ADMIN = {"username": "admin_03", "password": "admin-password-7"}
MOD = {"username": "mod_04", "password": "moderator-pass-5"}


class _Forms(HTMLParser):
    """Every <form> of a page: method, action and its <input>s (attribute dicts)."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._open = {"method": attrs.get("method", "get").lower(), "action": attrs.get("action", ""), "inputs": []}
            self.forms.append(self._open)
        elif tag in ("input", "button", "textarea", "select") and self._open is not None:
            self._open["inputs"].append(dict(attrs, tag=tag))

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def _page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, f"GET {path} should answer {status}, got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    html = response.get_data(as_text=True)
    parser = _Forms()
    parser.feed(html)
    return html, parser.forms


def _path(url):
    return urlsplit(url).path


def _form_to(forms, action_path, page):
    found = [f for f in forms if _path(f["action"]) == action_path]
    assert found, (
        f'{page} has no form with action="{action_path}"; form actions found: {[f["action"] for f in forms][:8]}'
    )
    form = found[0]
    assert form["method"] == "post", f'the form to {action_path} on {page} should have method="post", got {form["method"]!r}'
    return form


def _token_of(form, where):
    tokens = [i for i in form["inputs"] if i.get("name") == "csrf_token"]
    assert tokens and tokens[0].get("value"), (
        f'the form to {form["action"] or "(this page)"} on {where} has no hidden <input name="csrf_token" value="...">: '
        'add {{ csrf_token() }} (or {{ form.hidden_tag() }}) to it'
    )
    assert tokens[0].get("type") == "hidden", f"the csrf_token input on {where} should be type=\"hidden\""
    value = tokens[0]["value"]
    assert not any(word in value for word in ("<", "function", "method", "Undefined")), (
        f"the csrf_token value on {where} is {value!r}: call the function, {{{{ csrf_token() }}}}"
    )
    return value


def _submit(client, page_url, form, **fields):
    """Send form like a browser: its inputs (hidden ones included) plus fields."""
    data = {i["name"]: i.get("value", "") for i in form["inputs"] if i.get("name") and i.get("tag") == "input"}
    data.update(fields)
    return client.post(form["action"] or page_url, data=data)


def _api_user(app, user, db_inspect=None, role=None):
    client = app.test_client()
    response = client.post("/api/auth/register", json=user)
    assert response.status_code == 201, f"registering {user['username']} through the API should answer 201, got {response.status_code} (is /api exempt from CSRF?)"
    if role:
        db_inspect.execute('UPDATE "user" SET role = :role WHERE username = :name', {"role": role, "name": user["username"]})
    response = client.post("/api/auth/login", json=user)
    assert response.status_code == 200, f"logging in through the API should answer 200, got {response.status_code} (is /api exempt from CSRF?)"
    return client


def _api_post(client, title, status="draft"):
    response = client.post("/api/posts", json={"title": title, "body": "Some text.", "status": status})
    assert response.status_code == 201, f"POST /api/posts should answer 201 (stage 1), got {response.status_code} (is /api exempt from CSRF?)"
    return response.get_json()


def _api_comment(client, slug, body):
    response = client.post(f"/api/posts/{slug}/comments", json={"body": body})
    assert response.status_code == 201, f"commenting through the API should answer 201 (stage 2), got {response.status_code}"
    return response.get_json()


def _public_post(app, slug):
    response = app.test_client().get(f"/api/posts/{slug}")
    return response.get_json() if response.status_code == 200 else None


def _public_comments(app, slug):
    return [c["body"] for c in app.test_client().get(f"/api/posts/{slug}/comments").get_json()["comments"]]


def _redirects_to(response, path, what):
    assert response.status_code in (302, 303), f"{what} should redirect (302 or 303), got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    location = urlsplit(response.headers.get("Location", ""))
    assert location.path == path and location.netloc in ("", "localhost"), (
        f"{what} should redirect to {path}, got Location {response.headers.get('Location')!r}"
    )


@pytest.fixture
def alice(app):
    return _api_user(app, ALICE)


@pytest.fixture
def admin(app, db_inspect):
    return _api_user(app, ADMIN, db_inspect, "admin")


@pytest.mark.req(1)
def test_anonymous_is_sent_to_login(client):
    """Nobody logged in: the admin pages redirect to /login?next=<the page>"""
    for page in ("/admin/posts", "/admin/comments"):
        response = client.get(page)
        assert response.status_code == 302, (
            f"GET {page} without logging in should redirect (302) to the login page, got {response.status_code}"
        )
        location = urlsplit(response.headers.get("Location", ""))
        assert location.path == "/login", f"GET {page} should redirect to /login, got Location {response.headers.get('Location')!r}"
        nxt = parse_qs(location.query).get("next", [""])[0]
        assert _path(nxt) == page, f"the redirect to /login should carry next={page}, got Location {response.headers.get('Location')!r}"


@pytest.mark.req(2)
def test_non_admins_get_403(app, alice, db_inspect):
    """A user or a moderator gets 403 from every page and action; nothing changes"""
    post = _api_post(alice, "A draft")
    published = _api_post(alice, "Out there", status="published")
    comment = _api_comment(alice, published["slug"], "pending forever")
    for user, role in ((BOB, "user"), (MOD, "moderator")):
        client = _api_user(app, user, db_inspect, role)
        _, forms = _page(client, "/login")  # a valid token of this session
        token = _token_of(forms[0], "GET /login") if forms else ""
        for page in ("/admin/posts", "/admin/comments"):
            response = client.get(page)
            assert response.status_code == 403, (
                f"GET {page} by a logged-in {role!r} should answer 403 (admins only; the role is checked, not only the login), got {response.status_code}"
            )
        for action in (f"/admin/posts/{post['id']}/publish", f"/admin/posts/{published['id']}/unpublish",
                       f"/admin/comments/{comment['id']}/approve", f"/admin/comments/{comment['id']}/reject"):
            response = client.post(action, data={"csrf_token": token})
            assert response.status_code == 403, f"POST {action} by a {role!r} (with a valid token) should answer 403 (admins only), got {response.status_code}"
    assert _public_post(app, post["slug"]) is None and _public_post(app, published["slug"]) is not None, "a non-admin's actions must change no post"
    assert _public_comments(app, published["slug"]) == [], "a non-admin's actions must change no comment"


@pytest.mark.req(3)
def test_login_page(app, alice):
    """GET /login shows the form; the right password logs in and redirects to a local next only"""
    for nxt, target in (("/admin/comments", "/admin/comments"), (None, "/admin/posts"),
                        ("https://evil.example/steal", "/admin/posts"), ("//evil.example/x", "/admin/posts")):
        browser = app.test_client()
        url = "/login" if nxt is None else "/login?" + "next=" + nxt
        html, forms = _page(browser, url)
        logins = [f for f in forms if any(i.get("name") == "username" for i in f["inputs"])]
        assert logins, f"GET {url} should show a form with an input named username"
        form = logins[0]
        assert form["method"] == "post", 'the login form should have method="post"'
        passwords = [i for i in form["inputs"] if i.get("name") == "password"]
        assert passwords and passwords[0].get("type") == "password", 'the login form needs <input name="password" type="password">'
        _token_of(form, f"GET {url}")
        response = _submit(browser, url, form, username=ALICE["username"], password=ALICE["password"])
        with about(hint="Redirect to next only when it starts with a single '/': anything else could send users to another site (an open redirect)."):
            _redirects_to(response, target, f"logging in from {url}")
        if nxt and nxt.startswith(("https:", "//")):
            assert "evil.example" not in response.headers.get("Location", ""), f"logging in with next={nxt} must not leave the site (open redirect)"
        me = browser.get("/api/auth/me")
        assert me.status_code == 200 and me.get_json().get("username") == ALICE["username"], (
            f"after logging in on /login, GET /api/auth/me should answer alice_01 (session['user_id']), got {me.status_code}"
        )
    browser = app.test_client()
    _, forms = _page(browser, "/login")
    response = _submit(browser, "/login", forms[0], username=ALICE["username"], password="wrong-password-1")
    assert response.status_code == 401, f"a wrong password on /login should answer 401 with the page again, got {response.status_code}"
    assert browser.get("/api/auth/me").status_code == 401, "a wrong password must log nobody in"


@pytest.mark.req(4)
def test_posts_page(app, alice, admin):
    """GET /admin/posts: every post newest first, with publish/unpublish forms"""
    first = _api_post(alice, "First draft")
    second = _api_post(alice, "Published one", status="published")
    bob = _api_user(app, BOB)
    third = _api_post(bob, "Plan of Bob")
    html, forms = _page(admin, "/admin/posts")
    positions = [html.find(p["title"]) for p in (third, second, first)]
    assert all(p >= 0 for p in positions), f"GET /admin/posts should list every post (drafts too, of every author): missing {[p['title'] for p, i in zip((third, second, first), positions) if i < 0]}"
    assert positions == sorted(positions), "GET /admin/posts should list the posts newest first (the higher id first)"
    for name in ("alice_01", "bob_02", "draft", "published"):
        assert name in html.lower(), f"GET /admin/posts should show each post's author and status: {name!r} is not on the page"
    _form_to(forms, f"/admin/posts/{first['id']}/publish", "/admin/posts")
    _form_to(forms, f"/admin/posts/{third['id']}/publish", "/admin/posts")
    _form_to(forms, f"/admin/posts/{second['id']}/unpublish", "/admin/posts")


@pytest.mark.req(5)
def test_publish_and_unpublish(app, alice, admin):
    """The admin's publish/unpublish forms save the change and redirect; published_at is kept"""
    post = _api_post(alice, "Ready soon")
    _, forms = _page(admin, "/admin/posts")
    response = _submit(admin, "/admin/posts", _form_to(forms, f"/admin/posts/{post['id']}/publish", "/admin/posts"))
    _redirects_to(response, "/admin/posts", f"POST /admin/posts/{post['id']}/publish")
    public = _public_post(app, post["slug"])
    assert public is not None and public.get("published_at"), "after the admin publishes it, the post should be public with a published_at"
    _, forms = _page(admin, "/admin/posts")
    response = _submit(admin, "/admin/posts", _form_to(forms, f"/admin/posts/{post['id']}/unpublish", "/admin/posts"))
    _redirects_to(response, "/admin/posts", f"POST /admin/posts/{post['id']}/unpublish")
    assert _public_post(app, post["slug"]) is None, "after the admin unpublishes it, the post should be a draft again (404 publicly)"
    _, forms = _page(admin, "/admin/posts")
    _submit(admin, "/admin/posts", _form_to(forms, f"/admin/posts/{post['id']}/publish", "/admin/posts"))
    again = _public_post(app, post["slug"]) or {}
    assert again.get("published_at") == public["published_at"], (
        f"published_at is set only the first time: publishing again from the panel should keep {public['published_at']!r}, got {again.get('published_at')!r}"
    )
    token = _token_of(forms[0], "/admin/posts")
    for action in ("publish", "unpublish"):
        response = admin.post(f"/admin/posts/9999/{action}", data={"csrf_token": token})
        assert response.status_code == 404, f"POST /admin/posts/9999/{action} (unknown id) should answer 404, got {response.status_code}"


@pytest.mark.req(6)
def test_comments_page(app, alice, admin):
    """GET /admin/comments: pending comments oldest first with approve/reject forms that work"""
    post = _api_post(alice, "Talk to me", status="published")
    bob = _api_user(app, BOB)
    ids = [_api_comment(bob, post["slug"], text)["id"] for text in ("comment one", "comment two", "comment three")]
    html, forms = _page(admin, "/admin/comments")
    positions = [html.find(text) for text in ("comment one", "comment two", "comment three")]
    assert all(p >= 0 for p in positions), "GET /admin/comments should show every pending comment's body"
    assert positions == sorted(positions), "GET /admin/comments should list the pending comments oldest first"
    for text in ("Talk to me", "bob_02"):
        assert text in html, f"each pending comment should show its post's title and its author: {text!r} is not on the page"
    for comment_id in ids:
        _form_to(forms, f"/admin/comments/{comment_id}/approve", "/admin/comments")
        _form_to(forms, f"/admin/comments/{comment_id}/reject", "/admin/comments")
    response = _submit(admin, "/admin/comments", _form_to(forms, f"/admin/comments/{ids[0]}/approve", "/admin/comments"))
    _redirects_to(response, "/admin/comments", f"POST /admin/comments/{ids[0]}/approve")
    response = _submit(admin, "/admin/comments", _form_to(forms, f"/admin/comments/{ids[1]}/reject", "/admin/comments"))
    _redirects_to(response, "/admin/comments", f"POST /admin/comments/{ids[1]}/reject")
    assert _public_comments(app, post["slug"]) == ["comment one"], "approve should publish the comment, reject should hide it (saved)"
    html, _ = _page(admin, "/admin/comments")
    assert "comment one" not in html and "comment two" not in html and "comment three" in html, (
        "after approve and reject, /admin/comments should list only the comment still pending"
    )
    token = _token_of(forms[0], "/admin/comments")
    response = admin.post("/admin/comments/9999/approve", data={"csrf_token": token})
    assert response.status_code == 404, f"POST /admin/comments/9999/approve (unknown id) should answer 404, got {response.status_code}"


@pytest.mark.req(7)
def test_html_is_escaped(app, alice, admin):
    """Titles and comment bodies holding HTML are shown escaped, never as tags"""
    post = _api_post(alice, "<i>Italic</i> title", status="published")
    bob = _api_user(app, BOB)
    _api_comment(bob, post["slug"], '<script>alert("pwned")</script>')
    html, _ = _page(admin, "/admin/comments")
    assert '<script>alert("pwned")' not in html, (
        "the comment body <script>alert(\"pwned\")</script> is on /admin/comments as a real tag: it would run in the admin's "
        "browser. Print it with {{ comment.body }} (escaped), never |safe or Markup"
    )
    assert "&lt;script&gt;" in html, "the comment body should appear escaped (&lt;script&gt;) on /admin/comments"
    assert "<i>Italic</i>" not in html, "the post title <i>Italic</i> should appear escaped on /admin/comments, not as a tag"
    html, _ = _page(admin, "/admin/posts")
    assert "<i>Italic</i>" not in html and "&lt;i&gt;Italic" in html, "the post title <i>Italic</i> should appear escaped (&lt;i&gt;) on /admin/posts"


@pytest.mark.req(8)
def test_csrf_not_switched_off(app):
    """The app leaves CSRF protection on (no WTF_CSRF_ENABLED = False)"""
    assert app.config.get("WTF_CSRF_ENABLED", True) is not False, (
        "The app sets WTF_CSRF_ENABLED = False (CSRF disabled): every form of the panel would then accept a POST without a "
        "token. Leave it out (it is on by default)."
    )


@pytest.mark.req(8)
def test_forms_carry_tokens(alice, admin):
    """Every form of /login, /admin/posts and /admin/comments holds a hidden csrf_token"""
    post = _api_post(alice, "Something", status="published")
    _api_comment(alice, post["slug"], "a comment")
    for page in ("/admin/posts", "/admin/comments", "/login"):
        _, forms = _page(admin, page)
        posting = [f for f in forms if f["method"] == "post"]
        assert posting, f"{page} should hold forms with method=\"post\""
        for form in posting:
            _token_of(form, page)


@pytest.mark.req(8)
def test_posts_without_a_valid_token_are_refused(app, alice, admin, db_inspect):
    """POSTs without a token, with a made-up one or another session's one answer 400, nothing changes"""
    post = _api_post(alice, "Still a draft")
    published = _api_post(alice, "Commented", status="published")
    comment = _api_comment(alice, published["slug"], "wait for it")
    other_admin = _api_user(app, {"username": "admin_05", "password": "admin-password-8"}, db_inspect, "admin")
    _, forms = _page(other_admin, "/admin/posts")
    stolen = _token_of(forms[0], "/admin/posts")
    for action in (f"/admin/posts/{post['id']}/publish", f"/admin/comments/{comment['id']}/approve"):
        for data, what in (({}, "without a CSRF token"), ({"csrf_token": "made-up-token"}, "with a made-up CSRF token"),
                           ({"csrf_token": stolen}, "with a CSRF token of another session")):
            response = admin.post(action, data=data)
            assert response.status_code == 400, (
                f"POST {action} {what} should answer 400 (is CSRFProtect set up, and CSRF not disabled?), got {response.status_code}"
            )
    assert _public_post(app, post["slug"]) is None, "the refused publish must leave the post a draft"
    assert _public_comments(app, published["slug"]) == [], "the refused approve must leave the comment pending"
    browser = app.test_client()
    browser.get("/login")
    response = browser.post("/login", data={"username": ALICE["username"], "password": ALICE["password"]})
    assert response.status_code == 400, f"POST /login without a CSRF token should answer 400, got {response.status_code}"
    assert browser.get("/api/auth/me").status_code == 401, "a login form without its token must log nobody in"


@pytest.mark.req(9)
def test_json_api_needs_no_token(app, db_inspect):
    """The JSON API of stages 1 and 2 works without CSRF tokens"""
    alice = _api_user(app, ALICE)
    post = _api_post(alice, "Via the API")
    response = alice.patch(f"/api/posts/{post['slug']}", json={"status": "published"})
    assert response.status_code == 200, f"PATCH /api/posts/<slug> (JSON, no token) should still answer 200, got {response.status_code}: exempt the API blueprints from CSRF"
    comment = _api_comment(alice, post["slug"], "hello")
    moderator = _api_user(app, MOD, db_inspect, "moderator")
    response = moderator.post(f"/api/comments/{comment['id']}/approve")
    assert response.status_code == 200, f"POST /api/comments/<id>/approve (JSON API, no token) should still answer 200, got {response.status_code}"
    assert alice.post("/api/auth/logout").status_code == 204, "POST /api/auth/logout should still answer 204 without a token"
