"""Checks for p1-users-jwt: users, JWT access tokens, tasks behind a token and owned by their creator.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import time

import jwt
import pytest

from flask_tutor_pytest.helpers import about

TASKS = "/api/tasks"
PASSWORD = "correct horse"


@pytest.fixture(autouse=True)
def _fresh_database(app):
    """A server database (DATABASE_URL, e.g. PostgreSQL) outlives one check: start each from empty tables.
    SQLite databases are new for every check already."""
    db = app.extensions.get("sqlalchemy")
    if db is None or not hasattr(db, "drop_all"):
        return
    with app.app_context():
        if db.engine.url.get_backend_name() != "sqlite":
            db.drop_all()
            db.create_all()


def _json(response, what):
    body = response.get_json(silent=True)
    assert body is not None, f"{what} should answer JSON, got {response.status_code} {response.get_data(as_text=True)[:200]!r}"
    return body


def _register(client, username="alice", password=PASSWORD):
    response = client.post("/api/auth/register", json={"username": username, "password": password})
    with about(hint="Add the `auth` namespace (path `/api/auth`) to the Api in create_app(), with a `/register` resource answering 201."):
        assert response.status_code == 201, f"POST /api/auth/register for {username!r} should answer 201, got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    return _json(response, "POST /api/auth/register")


def _login(client, username="alice", password=PASSWORD):
    response = client.post("/api/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, f"POST /api/auth/login for {username!r} should answer 200, got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    return _json(response, "POST /api/auth/login")


def _user(client, username="alice"):
    """Registers and logs in; answers (user, headers)."""
    user = _register(client, username)
    token = _login(client, username)["access_token"]
    return user, {"Authorization": f"Bearer {token}"}


def _create(client, headers, title="Write the report"):
    response = client.post(TASKS, json={"title": title}, headers=headers)
    assert response.status_code == 201, f"POST {TASKS} with a valid token should answer 201, got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    return _json(response, f"POST {TASKS}")


def _unauthorized(response, what):
    with about(hint="Put `login_required` on every task operation (`Namespace(..., decorators=[login_required])`) and answer `abort(401, message)`."):
        assert response.status_code == 401, f"{what} should answer 401, got {response.status_code}"
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and isinstance(body.get("message"), str), f"the 401 of {what} should be a JSON object with a message, got {response.get_data(as_text=True)[:200]!r}"


@pytest.mark.req(1)
def test_register(client):
    """Register answers 201 with id and username; invalid input 400; a taken username 409"""
    user = _register(client, "alice_01")
    assert set(user) == {"id", "username"} and user["username"] == "alice_01" and isinstance(user["id"], int), (
        f"POST /api/auth/register should answer exactly {{'id': <int>, 'username': 'alice_01'}}, got {user}"
    )
    _register(client, "abc", "p" * 8)
    _register(client, "u" * 30, "p" * 128)
    bad = [{"username": "ab", "password": PASSWORD}, {"username": "u" * 31, "password": PASSWORD},
           {"username": "Alice", "password": PASSWORD}, {"username": "al ice", "password": PASSWORD},
           {"username": "bob", "password": "p" * 7}, {"username": "bob", "password": "p" * 129},
           {"username": "bob"}, {"password": PASSWORD}, {"username": 5, "password": PASSWORD}]
    for body in bad:
        response = client.post("/api/auth/register", json=body)
        assert response.status_code == 400, f"POST /api/auth/register with {str(body)[:90]} should answer 400, got {response.status_code}"
    response = client.post("/api/auth/register", json={"username": "alice_01", "password": "another one"})
    assert response.status_code == 409, f"registering the taken username alice_01 again should answer 409, got {response.status_code}"


@pytest.mark.req(2)
def test_password_hashed(client, db_inspect):
    """The user table holds no plain password"""
    _register(client, "alice", PASSWORD)
    rows = db_inspect.rows("user")
    assert len(rows) == 1, f"after one registration the table user should hold one row, got {rows}"
    for column, value in rows[0].items():
        with about(hint="Store `generate_password_hash(password)` (werkzeug.security), never the password."):
            assert not (isinstance(value, str) and PASSWORD in value), f"the column {column} of table user holds the plain password: store a hash"


@pytest.mark.req(3)
def test_login(client):
    """Login answers the token, Bearer and 3600; a wrong password or unknown user answers 401"""
    _register(client, "alice")
    body = _login(client, "alice")
    assert set(body) == {"access_token", "token_type", "expires_in"}, f"POST /api/auth/login should answer exactly access_token, token_type and expires_in, got {body}"
    assert isinstance(body["access_token"], str) and body["token_type"] == "Bearer" and body["expires_in"] == 3600, (
        f"the login answer should be {{'access_token': <str>, 'token_type': 'Bearer', 'expires_in': 3600}}, got {body}"
    )
    wrong = client.post("/api/auth/login", json={"username": "alice", "password": "wrong password"})
    nobody = client.post("/api/auth/login", json={"username": "nobody", "password": PASSWORD})
    for response, what in ((wrong, "a wrong password"), (nobody, "an unknown username")):
        _unauthorized(response, f"POST /api/auth/login with {what}")
    assert _json(wrong, "login")["message"] == _json(nobody, "login")["message"], (
        "a wrong password and an unknown username should answer the same message (do not reveal which usernames exist)"
    )


@pytest.mark.req(4)
def test_token_claims(client, app):
    """The token is HS256 with SECRET_KEY, sub = the user id as a string, exp one hour after iat"""
    user = _register(client, "alice")
    token = _login(client, "alice")["access_token"]
    header = jwt.get_unverified_header(token)
    assert header.get("alg") == "HS256", f"the token should be signed with HS256, its header says {header}"
    try:
        claims = jwt.decode(token, app.config["SECRET_KEY"], algorithms=["HS256"])
    except jwt.InvalidTokenError as e:
        raise AssertionError(f"the token should verify with app.config['SECRET_KEY'] and HS256, but: {e}") from None
    assert claims.get("sub") == str(user["id"]), f"the claim sub should be the user id as a string ({str(user['id'])!r}), got {claims.get('sub')!r}"
    assert isinstance(claims.get("iat"), int) and isinstance(claims.get("exp"), int), f"the token should hold the claims iat and exp, got {claims}"
    assert claims["exp"] - claims["iat"] == 3600, f"exp should be 3600 s after iat, got {claims['exp'] - claims['iat']} s"
    assert abs(claims["iat"] - time.time()) < 120, f"iat should be the time of the login, got {claims['iat']}"


@pytest.mark.req(5)
def test_tasks_need_a_token(client, app):
    """Every task operation answers 401 without a valid, unexpired token of an existing user"""
    user, headers = _user(client)
    task = _create(client, headers)
    key = app.config["SECRET_KEY"]
    now = int(time.time())
    tokens = {
        "no Authorization header": None,
        "a header that is not Bearer": "Basic YWxpY2U6eA==",
        "a malformed token": "Bearer not-a-jwt",
        "a token signed with another key": "Bearer " + jwt.encode({"sub": str(user["id"]), "iat": now, "exp": now + 600}, "another-key-another-key-another-key", algorithm="HS256"),
        "an expired token": "Bearer " + jwt.encode({"sub": str(user["id"]), "iat": now - 7200, "exp": now - 3600}, key, algorithm="HS256"),
        "a token of a user that does not exist": "Bearer " + jwt.encode({"sub": "999", "iat": now, "exp": now + 600}, key, algorithm="HS256"),
    }
    for label, value in tokens.items():
        hdrs = {"Authorization": value} if value else {}
        for method, url, body in (("get", TASKS, None), ("post", TASKS, {"title": "x"}), ("get", f"{TASKS}/{task['id']}", None),
                                  ("patch", f"{TASKS}/{task['id']}", {"status": "done"}), ("delete", f"{TASKS}/{task['id']}", None)):
            response = getattr(client, method)(url, json=body, headers=hdrs)
            _unauthorized(response, f"{method.upper()} {url} with {label}")
    assert _json(client.get(f"{TASKS}/{task['id']}", headers=headers), "GET task")["status"] == "todo", "a refused request must change nothing"


@pytest.mark.req(6)
def test_me(client):
    """GET /api/auth/me answers the token's user; 401 without a token"""
    user, headers = _user(client, "alice")
    _register(client, "bob")
    response = client.get("/api/auth/me", headers=headers)
    assert response.status_code == 200, f"GET /api/auth/me with alice's token should answer 200, got {response.status_code}"
    assert _json(response, "GET /api/auth/me") == user, f"GET /api/auth/me should answer alice {user}"
    _unauthorized(client.get("/api/auth/me"), "GET /api/auth/me without a token")


@pytest.mark.req(7)
def test_tasks_belong_to_their_creator(client):
    """Tasks carry owner_id; each user lists, reads, changes and deletes only their own; others get 404"""
    alice, a = _user(client, "alice")
    bob, b = _user(client, "bob")
    mine = _create(client, a, "Alice's task")
    assert mine == {"id": mine["id"], "title": "Alice's task", "description": "", "status": "todo", "owner_id": alice["id"]}, (
        f"a new task should be {{id, title, description, status, owner_id}} with owner_id = the creator's id {alice['id']}, got {mine}"
    )
    theirs = _create(client, b, "Bob's task")
    with about(hint="Filter the list by the token's user: `db.select(Task).filter_by(owner_id=g.user.id)`."):
        assert _json(client.get(TASKS, headers=a), "GET /api/tasks") == [mine], "alice's list should hold only her task"
        assert _json(client.get(TASKS, headers=b), "GET /api/tasks") == [theirs], "bob's list should hold only his task"
    item = f"{TASKS}/{mine['id']}"
    for method, body in (("get", None), ("patch", {"status": "done"}), ("delete", None)):
        response = getattr(client, method)(item, json=body, headers=b)
        with about(hint="Treat another user's task as missing: `if task is None or task.owner_id != g.user.id: ns.abort(404, ...)`."):
            assert response.status_code == 404, f"bob's {method.upper()} {item} (alice's task) should answer 404, got {response.status_code}"
    assert _json(client.get(item, headers=a), "GET") == mine, "bob's refused requests must not change alice's task"
    response = client.patch(item, json={"status": "done"}, headers=a)
    assert response.status_code == 200 and _json(response, "PATCH")["status"] == "done", f"alice's PATCH {item} should answer 200, got {response.status_code}"
    assert client.delete(item, headers=a).status_code == 204, f"alice's DELETE {item} should answer 204"


@pytest.mark.req(8)
def test_openapi(client):
    """swagger.json documents the auth paths, a Bearer security scheme, and security on task operations"""
    spec = _json(client.get("/swagger.json"), "GET /swagger.json")
    paths = spec.get("paths") or {}
    for path in ("/api/auth/register", "/api/auth/login", "/api/auth/me", "/api/tasks", "/api/tasks/{task_id}"):
        assert path in paths, f"the OpenAPI document should describe {path}, got {sorted(paths)}"
    schemes = spec.get("securityDefinitions") or {}
    bearer = [name for name, s in schemes.items() if s.get("type") == "apiKey" and s.get("in") == "header" and s.get("name") == "Authorization"]
    with about(hint="`Api(app, authorizations={\"Bearer\": {\"type\": \"apiKey\", \"in\": \"header\", \"name\": \"Authorization\"}})` and `@ns.doc(security=\"Bearer\")` on each task resource."):
        assert bearer, f"securityDefinitions should hold an apiKey in the header Authorization, got {schemes}"
        for path, method in (("/api/tasks", "get"), ("/api/tasks", "post"), ("/api/tasks/{task_id}", "patch"), ("/api/auth/me", "get")):
            op = paths.get(path, {}).get(method) or {}
            declared = op.get("security", spec.get("security")) or []
            names = {name for req in declared for name in req}
            assert names & set(bearer), f"{method.upper()} {path} should declare the security requirement {bearer[0]}, got {declared}"
