"""Checks for f4-login: register, log in and log out with hashed passwords."""
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


def test_register_stores_password_hash(client, db_inspect):
    """POST /register answers 201 and stores a password hash, never the password"""
    _register(client, "ada")
    _hash_of(_user_row(db_inspect, "ada"), PASSWORD)


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


def test_register_refuses_bad_input(client, db_inspect):
    """POST /register answers 400 for missing fields or a short password, 409 for a taken username"""
    expect_status(client.post("/register", json={"username": "ada"}), 400, msg="A password is required.")
    expect_status(client.post("/register", json={"password": PASSWORD}), 400, msg="A username is required.")
    expect_status(client.post("/register", json={"username": "ada", "password": "short"}), 400,
                  msg="A password shorter than 8 characters is refused.")
    _register(client, "ada")
    expect_status(client.post("/register", json={"username": "ada", "password": "another password"}), 409,
                  msg="The username 'ada' is already taken.")
    assert len(_rows(db_inspect, "user")) == 1, "Only the one valid registration should be stored."


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


def test_wrong_password_is_refused(client):
    """POST /login with a wrong password or an unknown user answers 401 and logs nobody in"""
    _register(client, "ada")
    expect_status(_login(client, "ada", "wrong password"), 401, msg="The password is wrong.")
    expect_status(client.get("/me"), 401, msg="A failed login must not log anybody in.")
    expect_status(_login(client, "nobody"), 401, msg="There is no user named 'nobody'.")
    expect_status(client.get("/me"), 401, msg="A failed login must not log anybody in.")


def test_logout_clears_session(client):
    """POST /logout answers 200 and GET /me answers 401 afterwards"""
    _register(client, "ada")
    expect_status(_login(client, "ada"), 200)
    expect_status(client.get("/me"), 200, msg="After logging in, GET /me should know the user.")
    expect_status(client.post("/logout"), (200, 204))
    expect_status(client.get("/me"), 401, msg="After logging out, nobody is logged in.")
