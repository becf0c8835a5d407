"""Checks for p0-users: POST /api/users registers a user, with validation. Each check names the
brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

ALICE = {"username": "alice_01", "email": "alice@example.com", "password": "correct-horse-42"}


def _json(response, what):
    assert response.is_json, (
        f"{what} should answer JSON, got Content-Type {response.content_type!r} (status {response.status_code})"
    )
    body = response.get_json()
    assert isinstance(body, dict), f"{what} should answer a JSON object, got {str(body)[:200]}"
    return body


def _password_keys(body):
    return [k for k in body if "password" in str(k).lower()]


def _register(client, **fields):
    data = dict(ALICE, **fields)
    response = client.post("/api/users", json=data)
    assert response.status_code == 201, f"POST /api/users with {data} should answer 201, got {response.status_code}"
    return _json(response, "POST /api/users")


def _field_errors(client, data, field):
    response = client.post("/api/users", json=data)
    what = f"POST /api/users with {field}={data.get(field)!r}"
    assert response.status_code == 400, f"{what} should answer 400, got {response.status_code}"
    errors = _json(response, what).get("errors")
    assert isinstance(errors, dict) and field in errors, (
        f'{what} should answer {{"errors": {{"{field}": "<message>"}}}}, got errors={errors!r}'
    )
    return errors


@pytest.mark.req(1)
def test_register_user(client):
    """POST /api/users with valid data answers 201 with the user and without the password"""
    user = _register(client)
    assert isinstance(user.get("id"), int), f'the new user should have an integer "id", got {user}'
    assert user.get("username") == ALICE["username"], f"username should be {ALICE['username']!r}, got {user}"
    assert user.get("email") == ALICE["email"], f"email should be {ALICE['email']!r}, got {user}"
    assert not _password_keys(user), f"the answer must never contain the password or its hash, got keys {sorted(user)}"
    assert ALICE["password"] not in str(user), "the answer must never contain the password"


@pytest.mark.req(2)
def test_password_is_hashed(client, db_inspect):
    """The password is stored as a hash: the plain text is nowhere in the database"""
    _register(client)
    tables = db_inspect.tables()
    found_user = False
    for table in tables:
        for row in db_inspect.rows(table):
            text = " ".join(str(v) for v in row.values())
            found_user = found_user or ALICE["username"] in text
            assert ALICE["password"] not in text, (
                f"the plain password was found in table {table!r}: store generate_password_hash(password) instead"
            )
    assert found_user, f"the new user was not saved in the database (tables: {tables})"


@pytest.mark.req(3)
def test_username_rules(client):
    """Usernames must be 3-30 letters, digits or underscores, else 400 with an error for username"""
    for bad in ("ab", "a" * 31, "bad name!", "dash-name"):
        _field_errors(client, dict(ALICE, username=bad), "username")
    _register(client, username="Bob_the_3rd")


@pytest.mark.req(4)
def test_email_rules(client):
    """An invalid email answers 400 with an error for email"""
    for bad in ("not-an-email", "user@", "@example.com"):
        _field_errors(client, dict(ALICE, email=bad), "email")


@pytest.mark.req(5)
def test_password_rules(client):
    """A password shorter than 8 characters answers 400 with an error for password"""
    _field_errors(client, dict(ALICE, password="short"), "password")
    _field_errors(client, dict(ALICE, password="1234567"), "password")


@pytest.mark.req(6)
def test_missing_fields_and_bad_json(client):
    """An empty object lists all three fields; a body that is not JSON answers 400"""
    response = client.post("/api/users", json={})
    assert response.status_code == 400, f"POST /api/users with {{}} should answer 400, got {response.status_code}"
    errors = _json(response, "POST /api/users with {}").get("errors")
    assert isinstance(errors, dict), (
        f"an empty body should give errors for username, email and password, got {errors!r}"
    )
    assert {"username", "email", "password"} <= set(errors), (
        f"an empty body should give errors for username, email and password, got {errors!r}"
    )
    response = client.post("/api/users", data="{not json", content_type="application/json")
    assert response.status_code == 400, f"a body that is not valid JSON should answer 400, got {response.status_code}"


@pytest.mark.req(7)
def test_username_taken_is_409(client):
    """Registering a username that is already taken answers 409 Conflict"""
    _register(client)
    response = client.post("/api/users", json=dict(ALICE, email="other@example.com"))
    assert response.status_code == 409, f"a second alice_01 should answer 409 Conflict, got {response.status_code}"
    assert isinstance(_json(response, "The 409").get("error"), str), 'the 409 should say why in {"error": "..."}'
    response = client.post("/api/users", json=dict(ALICE, username="another_name"))
    assert response.status_code == 409, (
        f"a second account with the email {ALICE['email']} should answer 409 Conflict too, got {response.status_code}"
    )
    shouted = ALICE["email"].upper()
    response = client.post("/api/users", json=dict(ALICE, username="third_name", email=shouted))
    assert response.status_code == 409, (
        f"{shouted} is the same address as {ALICE['email']} (emails compare in any case): it should answer 409 too, "
        f"got {response.status_code}"
    )


@pytest.mark.req(8)
def test_public_profile(client):
    """GET /api/users/<id> shows id and username, never the password or the email; 404 if unknown"""
    user = _register(client)
    response = client.get(f"/api/users/{user['id']}")
    assert response.status_code == 200, f"GET /api/users/{user['id']} should answer 200, got {response.status_code}"
    profile = _json(response, "GET /api/users/<id>")
    assert profile.get("id") == user["id"] and profile.get("username") == ALICE["username"], (
        f"the profile should show id and username, got {profile}"
    )
    assert not _password_keys(profile), f"the profile must not contain the password or its hash, got keys {sorted(profile)}"
    assert "email" not in profile, f"the public profile must not show the email address, got keys {sorted(profile)}"
    assert ALICE["email"] not in str(profile), f"the public profile must keep the email private, got {profile}"
    response = client.get("/api/users/9999")
    assert response.status_code == 404, f"GET /api/users/9999 should answer 404, got {response.status_code}"
