"""Checks for p0-auth: session login, logout and /api/me. Each check names the brief's numbered
requirements it covers (@pytest.mark.req)."""
import pytest

ALICE = {"username": "alice_01", "email": "alice@example.com", "password": "correct-horse-42"}


def _json(response, what):
    assert response.is_json, (
        f"{what} should answer JSON, got Content-Type {response.content_type!r} (status {response.status_code})"
    )
    body = response.get_json()
    assert isinstance(body, dict), f"{what} should answer a JSON object, got {str(body)[:200]}"
    return body


def _register(client, user=ALICE):
    response = client.post("/api/users", json=user)
    assert response.status_code == 201, (
        f"registering {user['username']} with POST /api/users should answer 201 (stage 1), got {response.status_code}"
    )
    return _json(response, "POST /api/users")


def _login(client, username, password):
    return client.post("/api/login", json={"username": username, "password": password})


def _me(client):
    return client.get("/api/me")


def _assert_logged_out(client, what):
    response = _me(client)
    assert response.status_code == 401, f"{what}, GET /api/me should answer 401, got {response.status_code}"
    body = _json(response, "The 401 from GET /api/me")
    assert isinstance(body.get("error"), str), f'the 401 should say why in {{"error": "..."}}, got {body}'


@pytest.mark.req(1)
def test_me_requires_login(client):
    """GET /api/me without logging in answers 401 with a JSON error"""
    _assert_logged_out(client, "Without logging in")


@pytest.mark.req(2)
def test_login_then_me(client):
    """POST /api/login with the right password answers 200, then GET /api/me answers that user"""
    user = _register(client)
    response = _login(client, ALICE["username"], ALICE["password"])
    assert response.status_code == 200, f"POST /api/login with the right password should answer 200, got {response.status_code}"
    body = _json(response, "POST /api/login")
    assert "password" not in str(sorted(body)).lower(), f"the login answer must not contain the password or its hash: {sorted(body)}"
    expected = {"id": user["id"], "username": ALICE["username"], "email": ALICE["email"]}
    got = {k: body.get(k) for k in expected}
    assert got == expected, f"POST /api/login should answer the user with id, username and email, got {body}"
    response = _me(client)
    assert response.status_code == 200, f"after logging in, GET /api/me should answer 200, got {response.status_code}"
    me = _json(response, "GET /api/me")
    assert me.get("id") == user["id"] and me.get("username") == ALICE["username"], (
        f"GET /api/me should answer the logged-in user (id {user['id']}, {ALICE['username']}), got {me}"
    )
    assert not [k for k in me if "password" in str(k).lower()], f"GET /api/me must not contain the password or its hash: {sorted(me)}"


@pytest.mark.req(3)
def test_wrong_credentials_are_401(client):
    """A wrong password or an unknown username answers 401 and logs nobody in"""
    _register(client)
    bodies = {}
    for username, password, what in (
        (ALICE["username"], "wrong-password", "a wrong password"),
        ("nobody_here", ALICE["password"], "an unknown username"),
    ):
        response = _login(client, username, password)
        bodies[what] = response.get_data()
        assert response.status_code == 401, f"POST /api/login with {what} should answer 401, got {response.status_code}"
        assert isinstance(_json(response, "The 401").get("error"), str), 'the 401 should say why in {"error": "..."}'
        _assert_logged_out(client, f"After a login with {what}")
    assert len(set(bodies.values())) == 1, (
        "a wrong password and an unknown username should get the same answer, or an attacker learns which "
        f"usernames exist; got {[b.decode(errors='replace') for b in bodies.values()]}"
    )


@pytest.mark.req(4)
def test_login_needs_both_fields(client):
    """POST /api/login without a username and password (or without JSON) answers 400"""
    response = client.post("/api/login", json={"username": ALICE["username"]})
    assert response.status_code == 400, f"POST /api/login without a password should answer 400, got {response.status_code}"
    response = client.post("/api/login", data="{not json", content_type="application/json")
    assert response.status_code == 400, f"POST /api/login with a body that is not JSON should answer 400, got {response.status_code}"


@pytest.mark.req(5)
def test_logout_ends_the_session(client):
    """POST /api/logout ends the session: GET /api/me answers 401 again"""
    _register(client)
    response = _login(client, ALICE["username"], ALICE["password"])
    assert response.status_code == 200, f"POST /api/login should answer 200, got {response.status_code}"
    assert _me(client).status_code == 200, "GET /api/me should answer 200 while logged in"
    response = client.post("/api/logout")
    assert response.status_code in (200, 204), f"POST /api/logout should answer 200 or 204, got {response.status_code}"
    _assert_logged_out(client, "After POST /api/logout")


@pytest.mark.req(6)
def test_session_belongs_to_the_right_user(client):
    """Logging in as another user switches GET /api/me to that user"""
    _register(client)
    bob = {"username": "bob", "email": "bob@example.com", "password": "another-secret-9"}
    bob_id = _register(client, bob)["id"]
    assert _login(client, ALICE["username"], ALICE["password"]).status_code == 200, "alice's login should answer 200"
    assert _login(client, bob["username"], bob["password"]).status_code == 200, "bob's login should answer 200"
    me = _json(_me(client), "GET /api/me")
    assert me.get("id") == bob_id and me.get("username") == "bob", f"after bob logs in, GET /api/me should answer bob, got {me}"
