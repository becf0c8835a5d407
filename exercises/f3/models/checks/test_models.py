"""Checks for f3-models: the User model and its table. Each check names the brief's numbered
requirements it covers (@pytest.mark.req)."""
import pytest
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from flask_tutor_pytest import expect_json, expect_status


def _rows(db_inspect, table):
    """The rows of ``table``; a clear failure when the table does not exist."""
    tables = db_inspect.tables()
    assert table in tables, (
        "There is no table named %r in the database (tables: %s). Flask-SQLAlchemy names a "
        "model's table after its class (Todo -> todo) unless __tablename__ says otherwise."
        % (table, ", ".join(tables) or "none")
    )
    return db_inspect.rows(table)


def _require_user_table(db_inspect):
    tables = db_inspect.tables()
    assert "user" in tables, (
        "There is no table named 'user' in the database (tables found: %s). Define the User "
        "model in models.py and call db.create_all() inside create_app(), in an app context."
        % (", ".join(tables) or "none")
    )


def _engine(app):
    ext = app.extensions.get("sqlalchemy")
    assert ext is not None, "The app has no Flask-SQLAlchemy extension: call db.init_app(app) in create_app()."
    db = ext if isinstance(ext, SQLAlchemy) else getattr(ext, "db", ext)  # Flask-SQLAlchemy 2.x: a state object
    with app.app_context():
        return db.engine


def _insert_user(app, username, email):
    with _engine(app).begin() as conn:
        conn.execute(
            text('INSERT INTO "user" (username, email) VALUES (:username, :email)'),
            {"username": username, "email": email},
        )


@pytest.mark.req(1)
def test_user_table_created(db_inspect):
    """Starting the app creates the user table"""
    _require_user_table(db_inspect)


@pytest.mark.req(2)
def test_user_columns(db_inspect):
    """The user table has the columns id (primary key), username and email"""
    _require_user_table(db_inspect)
    info = {c["name"]: c for c in db_inspect.column_info("user")}
    missing = [name for name in ("id", "username", "email") if name not in info]
    assert not missing, "The user table lacks the column(s) %s; it has: %s." % (
        ", ".join(missing),
        ", ".join(info),
    )
    assert info["id"]["primary_key"], "user.id should be the primary key: db.Column(db.Integer, primary_key=True)."
    for name, size in (("username", "80"), ("email", "120")):
        assert size in info[name]["type"], "user.%s should hold up to %s characters: db.String(%s); it is %s." % (name, size, size, info[name]["type"])


@pytest.mark.req(3)
def test_username_not_null(db_inspect):
    """user.username is required: the column is NOT NULL"""
    _require_user_table(db_inspect)
    info = {c["name"]: c for c in db_inspect.column_info("user")}
    assert "username" in info, "The user table has no username column yet."
    assert not info["username"]["nullable"], (
        "user.username accepts NULL, so a user without a name could be saved. "
        "Add nullable=False to the column."
    )


@pytest.mark.req(4)
def test_email_not_null(db_inspect):
    """user.email is required: the column is NOT NULL"""
    _require_user_table(db_inspect)
    info = {c["name"]: c for c in db_inspect.column_info("user")}
    assert "email" in info, "The user table has no email column yet."
    assert not info["email"]["nullable"], (
        "user.email accepts NULL, so a user without an e-mail address could be saved. "
        "Add nullable=False to the column."
    )


@pytest.mark.req(5)
def test_database_refuses_duplicate_username(app, db_inspect):
    """The database itself refuses a second user with the same username"""
    _require_user_table(db_inspect)
    error = None
    try:
        _insert_user(app, "ada", "ada@example.com")
    except Exception as e:  # noqa: BLE001 - explain any failure of the first insert
        error = str(e).strip().splitlines()[0]
    assert error is None, (
        "Inserting a user with only a username and an email failed: %s. Only id, username and "
        "email should be needed to store a user." % error
    )
    refused = False
    try:
        _insert_user(app, "ada", "another@example.com")
    except IntegrityError:
        refused = True  # the UNIQUE constraint did its job
    assert refused, (
        "The database accepted two users named 'ada'. Add unique=True to the username column so "
        "the database refuses duplicates (delete instance/users.db afterwards: create_all() does "
        "not change an existing table)."
    )


@pytest.mark.req(6)
def test_post_users_stores_user(client, db_inspect):
    """POST /users stores the user in the user table and answers 201"""
    response = client.post("/users", json={"username": "grace", "email": "grace@example.com"})
    data = expect_json(response, status=201)
    assert isinstance(data, dict) and data.get("username") == "grace", (
        "POST /users should answer the new user as JSON, with its username 'grace'."
    )
    rows = _rows(db_inspect, "user")
    assert [(r.get("username"), r.get("email")) for r in rows] == [("grace", "grace@example.com")], (
        "After POST /users, the user table should hold exactly that user; it holds: %r" % rows
    )


@pytest.mark.req(6)
def test_post_duplicate_username_conflicts(client, db_inspect):
    """POST /users with a username that is taken answers 409 and stores nothing"""
    expect_status(client.post("/users", json={"username": "linus", "email": "l@example.com"}), 201)
    second = client.post("/users", json={"username": "linus", "email": "other@example.com"})
    expect_status(second, 409, msg="The username 'linus' is already taken.")
    assert len(_rows(db_inspect, "user")) == 1, "Only the first 'linus' should be stored in the user table."
