"""Checks for f4-login: register, log in and log out with hashed passwords.

Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest
from werkzeug.security import check_password_hash

from flask_tutor_pytest import expect_json, expect_status

PASSWORD = "correct horse battery"


def _rows(db_inspect, table):
    """The rows of ``table``; a clear failure when the table does not exist."""
    tables = db_inspect.tables()
    assert table in tables, (
        "There is no table named %r in the database (tables: %s). Flask-SQLAlchemy names a "
        "model's table after its class (Todo -> todo) unless __tablename__ says otherwise."
        % (table, ", ".join(tables) or "none")
    )
    return db_inspect.rows(table)


def _register(client, username, password=PASSWORD):
    return expect_json(client.post("/register", json={"username": username, "password": password}), status=201)


def _login(client, username, password=PASSWORD):
    return client.post("/login", json={"username": username, "password": password})


def _verifies(value, password):
    if not isinstance(value, str):
        return False
    try:
        return check_password_hash(value, password)
    except Exception:  # noqa: BLE001 - not a hash at all
        return False


def _user_row(db_inspect, username):
    tables = db_inspect.tables()
    assert "user" in tables, "There is no user table (tables: %s)." % ", ".join(tables)
    rows = [r for r in _rows(db_inspect, "user") if r.get("username") == username]
    assert len(rows) == 1, "The user table should hold exactly one row for %r; it holds %d." % (username, len(rows))
    return rows[0]


def _hash_of(row, password):
    """The stored value that check_password_hash accepts for ``password``."""
    for value in row.values():
        assert not (isinstance(value, str) and password in value), (
            "The user table stores the password itself (%r is in the row). Store "
            "generate_password_hash(password) instead." % password
        )
    hashes = [v for v in row.values() if _verifies(v, password)]
    assert hashes, (
        "No column of the user row is a password hash that check_password_hash() accepts for the "
        "password used at registration. Store generate_password_hash(password) in password_hash. Row: %r" % row
    )
    return hashes[0]


@pytest.mark.req(1)
def test_register_stores_password_hash(client, db_inspect):
    """POST /register answers 201 with the user and stores a password hash, never the password"""
    data = _register(client, "ada")
    assert isinstance(data, dict) and data.get("username") == "ada" and isinstance(data.get("id"), int), (
        'POST /register should answer the new user as {"id": ..., "username": "ada"}; it answered %r.' % (data,)
    )
    leaked = sorted(k for k in data if k not in ("id", "username"))
    assert not leaked, (
        "The user's JSON should hold id and username only; it also sends %s. Never send a password or "
        "its hash to the client: build the answer in to_dict() from the public fields." % ", ".join(leaked)
    )
    _hash_of(_user_row(db_inspect, "ada"), PASSWORD)


@pytest.mark.req(2)
def test_hashes_are_salted(client, db_inspect):
    """Two users with the same password get different hashes (salted)"""
    _register(client, "ada")
    _register(client, "grace")
    first = _hash_of(_user_row(db_inspect, "ada"), PASSWORD)
    second = _hash_of(_user_row(db_inspect, "grace"), PASSWORD)
    assert first != second, (
        "ada and grace have the same password and got the same hash: the hash is not salted. "
        "werkzeug.security.generate_password_hash() adds a random salt for you."
    )


@pytest.mark.req(3)
def test_register_refuses_bad_input(client, db_inspect):
    """POST /register answers 400 for missing fields or a password under 8 characters"""
    expect_status(client.post("/register", json={"username": "ada"}), 400, msg="A password is required.")
    expect_status(client.post("/register", json={"password": PASSWORD}), 400, msg="A username is required.")
    expect_status(client.post("/register", json={"username": "ada", "password": "7 chars"}), 400,
                  msg="A password of 7 characters is shorter than 8 and is refused.")
    assert "user" not in db_inspect.tables() or len(_rows(db_inspect, "user")) == 0, "Refused registrations must not be stored."
    expect_status(client.post("/register", json={"username": "ada", "password": "8 chars!"}), 201,
                  msg="A password of exactly 8 characters is long enough (fewer than 8 are refused).")


@pytest.mark.req(4)
def test_register_refuses_taken_username(client, db_inspect):
    """POST /register answers 409 when the username is taken"""
    _register(client, "ada")
    expect_status(client.post("/register", json={"username": "ada", "password": "another password"}), 409,
                  msg="The username 'ada' is already taken.")
    assert len(_rows(db_inspect, "user")) == 1, "Only the first registration of 'ada' should be stored."


@pytest.mark.req(5)
def test_login_starts_session(client):
    """POST /login with the right password answers 200 and GET /me then knows the user"""
    _register(client, "ada")
    expect_status(client.get("/me"), 401, msg="Nobody is logged in yet.")
    expect_status(_login(client, "ada"), 200)
    expect_json(client.get("/me"), {"username": "ada"}, status=200, subset=True,
                msg="After logging in, the session should remember the user.")
    with client.session_transaction() as session:
        stored = repr(dict(session))
    assert PASSWORD not in stored, (
        "The session holds the password. Flask's session cookie is signed, not encrypted: anyone "
        "can read it. Store only the user's id."
    )


@pytest.mark.req(6)
def test_wrong_password_is_refused(client):
    """POST /login with a wrong password or an unknown user answers 401, the same answer for both"""
    _register(client, "ada")
    wrong = expect_status(_login(client, "ada", "wrong password"), 401, msg="The password is wrong.")
    expect_status(client.get("/me"), 401, msg="A failed login must not log anybody in.")
    unknown = expect_status(_login(client, "nobody"), 401, msg="There is no user named 'nobody'.")
    expect_status(client.get("/me"), 401, msg="A failed login must not log anybody in.")
    assert wrong.get_data() == unknown.get_data(), (
        "A wrong password and an unknown user should get the same answer, or an attacker learns which "
        "usernames exist. Wrong password: %r; unknown user: %r." % (wrong.get_data(as_text=True), unknown.get_data(as_text=True))
    )


@pytest.mark.req(7)
def test_logout_clears_session(client):
    """POST /logout answers 200 and GET /me answers 401 afterwards"""
    _register(client, "ada")
    expect_status(_login(client, "ada"), 200)
    expect_status(client.get("/me"), 200, msg="After logging in, GET /me should know the user.")
    expect_status(client.post("/logout"), 200, msg="Logging out answers 200 (the brief's table).")
    expect_status(client.get("/me"), 401, msg="After logging out, nobody is logged in.")
