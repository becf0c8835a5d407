"""Checks for tm-accounts: register, log in, log out and /api/auth/me with hashed passwords and a
session. Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest
from werkzeug.security import check_password_hash

ALICE = {"username": "alice_01", "password": "correct-horse-42"}
BOB = {"username": "bob", "password": "another-secret-9"}


def _json(response, what):
    assert response.is_json, (
        f"{what} should answer JSON, got Content-Type {response.content_type!r} (status {response.status_code})"
    )
    body = response.get_json()
    assert isinstance(body, dict), f"{what} should answer a JSON object, got {str(body)[:200]}"
    return body


def _error(response, what):
    body = _json(response, what)
    assert isinstance(body.get("error"), str), f'{what} should say why in {{"error": "..."}}, got {body}'
    return body


def _register(client, user=ALICE):
    response = client.post("/api/auth/register", json=user)
    assert response.status_code == 201, (
        f"POST /api/auth/register with {user} should answer 201, got {response.status_code}: "
        f"{response.get_data(as_text=True)[:200]}"
    )
    return _json(response, "POST /api/auth/register")


def _login(client, user=ALICE):
    return client.post("/api/auth/login", json={"username": user["username"], "password": user["password"]})


def _no_password(body, what):
    keys = [k for k in body if "password" in str(k).lower()]
    assert not keys, f"{what} must never contain the password or its hash, got the keys {sorted(body)}; answer only id and username"


def _assert_logged_out(client, what):
    response = client.get("/api/auth/me")
    assert response.status_code == 401, f"{what}, GET /api/auth/me should answer 401, got {response.status_code}"
    _error(response, "The 401 from GET /api/auth/me")


@pytest.mark.req(1)
def test_register(client):
    """POST /api/auth/register answers 201 with id and username, never the password"""
    user = _register(client)
    assert isinstance(user.get("id"), int), f'the new user should have an integer "id", got {user}'
    assert user.get("username") == ALICE["username"], f"username should be {ALICE['username']!r}, got {user}"
    _no_password(user, "The answer of POST /api/auth/register")
    assert ALICE["password"] not in str(user), "the answer must never contain the password"


@pytest.mark.req(2)
def test_password_is_hashed(client, db_inspect):
    """The database holds a werkzeug hash of the password, never the password itself"""
    _register(client)
    hashed = False
    for table in db_inspect.tables():
        for row in db_inspect.rows(table):
            for value in row.values():
                assert value != ALICE["password"] and ALICE["password"] not in str(value), (
                    f"the plain password was found in table {table!r}: store generate_password_hash(password) instead"
                )
                if isinstance(value, str) and value.count("$") >= 2:
                    try:
                        hashed = hashed or check_password_hash(value, ALICE["password"])
                    except (ValueError, TypeError):
                        pass
    assert hashed, (
        "no column of the database holds a werkzeug hash of the password (check_password_hash(value, password) "
        "was never true): store generate_password_hash(password)"
    )


@pytest.mark.req(3)
def test_registration_rules(client):
    """Usernames are 3-30 letters, digits or underscores; passwords at least 8 characters"""
    for username in ("abc", "a" * 30, "Under_score_9"):
        _register(client, {"username": username, "password": "12345678"})
    for data, what in (
        ({"username": "ab", "password": "long-enough-1"}, "a 2-character username"),
        ({"username": "a" * 31, "password": "long-enough-1"}, "a 31-character username"),
        ({"username": "bad name", "password": "long-enough-1"}, "a username with a space"),
        ({"username": "carol", "password": "1234567"}, "a 7-character password"),
        ({"username": "carol"}, "no password"),
        ({"password": "long-enough-1"}, "no username"),
        ({"username": 12345, "password": "long-enough-1"}, "a username that is not a string"),
    ):
        response = client.post("/api/auth/register", json=data)
        assert response.status_code == 400, f"POST /api/auth/register with {what} should answer 400, got {response.status_code}"
        _error(response, f"The 400 for {what}")
    response = client.post("/api/auth/register", data="{not json", content_type="application/json")
    assert response.status_code == 400, f"POST /api/auth/register with a body that is not JSON should answer 400, got {response.status_code}"


@pytest.mark.req(4)
def test_username_taken(client):
    """Registering a taken username answers 409"""
    _register(client)
    response = client.post("/api/auth/register", json={"username": ALICE["username"], "password": "something-else-1"})
    assert response.status_code == 409, f"registering the taken username again should answer 409, got {response.status_code}"
    _error(response, "The 409")


@pytest.mark.req(5)
def test_me_requires_login(client):
    """GET /api/auth/me without logging in answers 401 with a JSON error"""
    _assert_logged_out(client, "Without logging in")


@pytest.mark.req(6)
def test_login_then_me(client):
    """POST /api/auth/login answers 200 with the user; GET /api/auth/me then answers that user"""
    user = _register(client)
    response = _login(client)
    assert response.status_code == 200, f"POST /api/auth/login with the right password should answer 200, got {response.status_code}"
    body = _json(response, "POST /api/auth/login")
    _no_password(body, "The answer of POST /api/auth/login")
    assert {k: body.get(k) for k in ("id", "username")} == user, f"POST /api/auth/login should answer {user}, got {body}"
    response = client.get("/api/auth/me")
    assert response.status_code == 200, f"after logging in, GET /api/auth/me should answer 200, got {response.status_code}"
    me = _json(response, "GET /api/auth/me")
    assert {k: me.get(k) for k in ("id", "username")} == user, f"GET /api/auth/me should answer {user}, got {me}"
    _no_password(me, "GET /api/auth/me")
    bob = _register(client, BOB)
    assert _login(client, BOB).status_code == 200, "bob's login should answer 200"
    me = _json(client.get("/api/auth/me"), "GET /api/auth/me")
    assert me.get("id") == bob["id"], f"after bob logs in on the same client, GET /api/auth/me should answer bob, got {me}"


@pytest.mark.req(7)
def test_wrong_credentials(client):
    """A wrong password or an unknown username answers 401, the same body for both"""
    _register(client)
    bodies = {}
    for user, what in (
        ({"username": ALICE["username"], "password": "wrong-password"}, "a wrong password"),
        ({"username": "nobody_here", "password": ALICE["password"]}, "an unknown username"),
    ):
        response = _login(client, user)
        assert response.status_code == 401, f"POST /api/auth/login with {what} should answer 401, got {response.status_code}"
        bodies[what] = _error(response, f"The 401 for {what}")
        _assert_logged_out(client, f"After a login with {what}")
    assert len({str(b) for b in bodies.values()}) == 1, (
        "a wrong password and an unknown username should get the same answer, or an attacker learns which "
        f"usernames exist; got {list(bodies.values())}"
    )


@pytest.mark.req(8)
def test_login_needs_both_fields(client):
    """POST /api/auth/login without both fields (or without JSON) answers 400"""
    _register(client)
    response = client.post("/api/auth/login", json={"username": ALICE["username"]})
    assert response.status_code == 400, f"POST /api/auth/login without a password should answer 400, got {response.status_code}"
    response = client.post("/api/auth/login", data="{not json", content_type="application/json")
    assert response.status_code == 400, f"POST /api/auth/login with a body that is not JSON should answer 400, got {response.status_code}"


@pytest.mark.req(9)
def test_logout_clears_the_session(client):
    """POST /api/auth/logout answers 204 and empties the session"""
    _register(client)
    assert _login(client).status_code == 200, "POST /api/auth/login should answer 200"
    with client.session_transaction() as sess:
        assert sess, "after a login the session should hold the user's id, it is empty"
        sess["theme"] = "dark"
    response = client.post("/api/auth/logout")
    assert response.status_code == 204, f"POST /api/auth/logout should answer 204, got {response.status_code}"
    with client.session_transaction() as sess:
        left = dict(sess)
    assert not left, (
        f"after POST /api/auth/logout the session should be empty, it still holds {sorted(left)}: "
        "call session.clear(), not only pop one key"
    )
    _assert_logged_out(client, "After POST /api/auth/logout")
