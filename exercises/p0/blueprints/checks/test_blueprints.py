"""Checks for p0-blueprints: the same API, organised in a users and a posts blueprint. Each check
names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

ALICE = {"username": "alice_01", "email": "alice@example.com", "password": "correct-horse-42"}
BOB = {"username": "bob", "email": "bob@example.com", "password": "another-secret-9"}


def _json(response, what):
    assert response.is_json, (
        f"{what} should answer JSON, got Content-Type {response.content_type!r} (status {response.status_code})"
    )
    body = response.get_json()
    assert isinstance(body, dict), f"{what} should answer a JSON object, got {str(body)[:200]}"
    return body


def _blueprint_names(app):
    """Registered blueprint names; a nested blueprint "api.users" also counts as "users"."""
    return {name.rsplit(".", 1)[-1] for name in app.blueprints}


def _endpoint(app, method, path):
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(path, method=method)
    except Exception as exc:  # NotFound, MethodNotAllowed, ...
        raise AssertionError(f"{method} {path} does not reach a view any more ({type(exc).__name__})") from None
    return endpoint


def _assert_in_blueprint(app, method, path, name=None):
    endpoint = _endpoint(app, method, path)
    blueprints = endpoint.split(".")[:-1]  # "users.create_user" -> ["users"]
    if name is None:
        assert blueprints, (
            f"{method} {path} is still registered on the app itself (endpoint {endpoint!r}); move it into a blueprint"
        )
    else:
        assert name in blueprints, (
            f"{method} {path} is served by endpoint {endpoint!r}; it should live in the {name!r} blueprint "
            f"(its endpoint would then be '{name}.<function>')"
        )


def _register(client, user):
    response = client.post("/api/users", json=user)
    assert response.status_code == 201, f"POST /api/users for {user['username']} should answer 201, got {response.status_code}"
    return _json(response, "POST /api/users")


def _login(client, user):
    response = client.post("/api/login", json={"username": user["username"], "password": user["password"]})
    assert response.status_code == 200, f"POST /api/login as {user['username']} should answer 200, got {response.status_code}"


@pytest.mark.req(1)
def test_blueprints_are_registered(app):
    """The app has a blueprint named "users" and one named "posts\""""
    names = _blueprint_names(app)
    missing = [n for n in ("users", "posts") if n not in names]
    assert not missing, (
        f"register blueprints named {missing} (Blueprint(\"users\", __name__, ...)); "
        f"the app has {sorted(app.blueprints) or 'no blueprints'}"
    )


@pytest.mark.req(2)
def test_users_routes_work_from_the_users_blueprint(app, client):
    """Registration and profiles still work, served by the users blueprint"""
    user = _register(client, ALICE)
    response = client.post("/api/users", json=ALICE)
    assert response.status_code == 409, f"registering alice_01 twice should still answer 409, got {response.status_code}"
    response = client.post("/api/users", json=dict(ALICE, username="x"))
    assert response.status_code == 400, f"an invalid username should still answer 400, got {response.status_code}"
    profile = client.get(f"/api/users/{user['id']}")
    assert profile.status_code == 200, f"GET /api/users/<id> should still answer 200, got {profile.status_code}"
    assert _json(profile, "GET /api/users/<id>").get("username") == ALICE["username"], "the profile should show the username"
    _assert_in_blueprint(app, "POST", "/api/users", "users")
    _assert_in_blueprint(app, "GET", f"/api/users/{user['id']}", "users")


@pytest.mark.req(3)
def test_session_routes_work_from_a_blueprint(app, client):
    """Login, /api/me and logout still work, served by a blueprint"""
    user = _register(client, ALICE)
    assert client.get("/api/me").status_code == 401, "GET /api/me before logging in should still answer 401"
    _login(client, ALICE)
    me = client.get("/api/me")
    assert me.status_code == 200, f"GET /api/me after logging in should answer 200, got {me.status_code}"
    assert _json(me, "GET /api/me").get("id") == user["id"], "GET /api/me should answer the logged-in user"
    response = client.post("/api/logout")
    assert response.status_code in (200, 204), f"POST /api/logout should answer 200 or 204, got {response.status_code}"
    assert client.get("/api/me").status_code == 401, "GET /api/me after logging out should answer 401"
    for method, path in (("POST", "/api/login"), ("POST", "/api/logout"), ("GET", "/api/me")):
        _assert_in_blueprint(app, method, path)


@pytest.mark.req(4)
def test_posts_routes_work_from_the_posts_blueprint(app, client):
    """Posts CRUD, pagination and the author-only rules still work, served by the posts blueprint"""
    _register(client, ALICE)
    _login(client, ALICE)
    ids = []
    for n in (1, 2, 3):
        response = client.post("/api/posts", json={"content": f"post {n}"})
        assert response.status_code == 201, f"POST /api/posts should answer 201, got {response.status_code}"
        ids.append(_json(response, "POST /api/posts").get("id"))
    page = _json(client.get("/api/posts?per_page=2"), "GET /api/posts?per_page=2")
    assert [p.get("id") for p in page.get("items", [])] == [ids[2], ids[1]] and page.get("total") == 3, (
        f"GET /api/posts?per_page=2 should still answer the two newest posts and total 3, got {str(page)[:300]}"
    )
    client.post("/api/logout")
    _register(client, BOB)
    _login(client, BOB)
    response = client.patch(f"/api/posts/{ids[0]}", json={"content": "bob was here"})
    assert response.status_code == 403, f"bob editing alice's post should still answer 403, got {response.status_code}"
    response = client.delete(f"/api/posts/{ids[1]}")
    assert response.status_code == 403, (
        f"bob deleting alice's post should still answer 403 (only the author may delete), got {response.status_code}"
    )
    assert client.get(f"/api/posts/{ids[1]}").status_code == 200, "alice's post must still be there after bob's DELETE"
    client.post("/api/logout")
    _login(client, ALICE)
    response = client.patch(f"/api/posts/{ids[0]}", json={"content": "edited"})
    assert response.status_code == 200, f"alice editing her post should answer 200, got {response.status_code}"
    response = client.delete(f"/api/posts/{ids[0]}")
    assert response.status_code == 204, f"alice deleting her post should answer 204, got {response.status_code}"
    response = client.get(f"/api/posts/{ids[0]}")
    assert response.status_code == 404, f"a deleted post should answer 404, got {response.status_code}"
    for method, path in (("GET", "/api/posts"), ("POST", "/api/posts"), ("GET", "/api/posts/1"),
                         ("PATCH", "/api/posts/1"), ("DELETE", "/api/posts/1")):
        _assert_in_blueprint(app, method, path, "posts")


@pytest.mark.req(5)
def test_no_api_route_left_on_the_app(app, client):
    """Errors are still JSON, and every /api/... route lives in a blueprint"""
    response = client.get("/api/posts/9999")
    assert response.status_code == 404, f"GET /api/posts/9999 should answer 404, got {response.status_code}"
    assert isinstance(_json(response, "The 404").get("error"), str), 'the 404 should still be {"error": "..."}'
    # Errors of every kind, not only those of one blueprint: an error handler on a blueprint never
    # sees a URL that matches no route, nor another blueprint's errors.
    for method, path, status in (("get", "/api/nowhere", 404), ("get", "/api/users/9999", 404), ("put", "/api/posts", 405)):
        other = getattr(client, method)(path)
        if other.status_code != status:
            rules = {rule.rule for rule in app.url_map.iter_rules()}
            slash = (
                f": the app declares {path}/ with a trailing slash, so {path} itself matches no route; "
                f"declare it as {path!r} (in a blueprint with url_prefix={path!r}, the route is \"\")"
                if path + "/" in rules else ""
            )
            assert other.status_code == status, f"{method.upper()} {path} should answer {status}, got {other.status_code}{slash}"
        assert other.is_json and isinstance((other.get_json() or {}).get("error"), str), (
            f"{method.upper()} {path} should answer {status} with a JSON {{\"error\": \"...\"}}, got {other.status_code} "
            f"{other.content_type}: register the JSON error handler on the app (app.errorhandler or "
            "app.register_error_handler), not on one blueprint."
        )
    leftovers = sorted(
        f"{rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") and "." not in rule.endpoint
    )
    assert not leftovers, f"these routes are still registered on the app itself: {leftovers}"
