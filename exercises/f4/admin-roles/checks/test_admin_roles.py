"""Checks for f4-admin-roles: the admin area is for users whose role is "admin". Each check names
the brief's numbered requirements it covers (@pytest.mark.req)."""
import json

import pytest
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

from flask_tutor_pytest import about, expect_json, expect_status

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


def _register(client, username):
    data = expect_json(client.post("/register", json={"username": username, "password": PASSWORD}), status=201,
                       msg="Registering %r (already written in auth.py) should work." % username)
    assert isinstance(data, dict) and isinstance(data.get("id"), int), "POST /register should answer the user with its id."
    return data


def _login(client, username):
    expect_status(client.post("/login", json={"username": username, "password": PASSWORD}), 200,
                  msg="Logging in as %r (already written in auth.py) should work." % username)


def _set_role(app, db_inspect, username, role):
    """Change a user's role directly in the database, as an operator would."""
    assert "role" in db_inspect.columns("user"), "The user table needs its role column (see models.py)."
    ext = app.extensions.get("sqlalchemy")
    db = ext if isinstance(ext, SQLAlchemy) else getattr(ext, "db", ext)
    with app.app_context():
        engine = db.engine
    with engine.begin() as conn:
        conn.execute(text('UPDATE "user" SET role = :role WHERE username = :username'), {"role": role, "username": username})


def _admin_client(app, db_inspect, username="boss"):
    client = app.test_client()
    _register(client, username)
    _set_role(app, db_inspect, username, "admin")
    _login(client, username)
    return client


@pytest.mark.req(1)
def test_admin_refuses_anonymous(client):
    """GET /admin without logging in answers 401"""
    expect_status(client.get("/admin"), 401, msg="An anonymous visitor is not authenticated.")


@pytest.mark.req(2)
def test_admin_forbidden_for_normal_user(client, db_inspect):
    """GET /admin as a logged-in user whose role is "user" answers 403"""
    _register(client, "bob")
    roles = [r.get("role") for r in _rows(db_inspect, "user")]
    assert roles == ["user"], 'A newly registered user should have the role "user"; the user table holds %r.' % roles
    _login(client, "bob")
    expect_status(client.get("/admin"), 403,
                  msg="bob is logged in (authenticated) but is not an admin (not authorized).")


@pytest.mark.req(3)
def test_admin_opens_for_admin(app, db_inspect):
    """GET /admin as an admin answers 200 with every user and their role"""
    boss = _admin_client(app, db_inspect)
    _register(app.test_client(), "bob")
    data = expect_json(boss.get("/admin"), status=200)
    users = data.get("users") if isinstance(data, dict) else None
    assert isinstance(users, list), 'GET /admin should answer {"users": [...]} for an admin; it answered %r.' % data
    got = sorted((u.get("username"), u.get("role")) for u in users if isinstance(u, dict))
    assert got == [("bob", "user"), ("boss", "admin")], (
        "GET /admin should list every user with their role; it listed (username, role): %r" % got
    )


@pytest.mark.req(4)
def test_role_change_needs_admin(client, db_inspect):
    """POST /admin/users/<id>/role answers 401 when anonymous and 403 for a normal user"""
    bob = _register(client, "bob")
    url = "/admin/users/%d/role" % bob["id"]
    expect_status(client.post(url, json={"role": "admin"}), 401, msg="An anonymous visitor cannot change roles.")
    _login(client, "bob")
    expect_status(client.post(url, json={"role": "admin"}), 403, msg="bob cannot make himself an admin.")
    roles = [r.get("role") for r in _rows(db_inspect, "user")]
    assert roles == ["user"], "bob's role must not change; the user table holds %r." % roles


@pytest.mark.req(5, 6)
def test_admin_promotes_user(app, db_inspect):
    """An admin can make another user an admin, who can then open /admin"""
    boss = _admin_client(app, db_inspect)
    carol_client = app.test_client()
    carol = _register(carol_client, "carol")
    _login(carol_client, "carol")  # carol is logged in before her promotion
    url = "/admin/users/%d/role" % carol["id"]
    expect_status(boss.post(url, json={"role": "emperor"}), 400, msg='"emperor" is not a role.')
    expect_status(boss.post("/admin/users/9999/role", json={"role": "admin"}), 404, msg="There is no user 9999.")
    expect_json(boss.post(url, json={"role": "admin"}), {"username": "carol", "role": "admin"}, status=200, subset=True)
    with about(hint="Read the role from the database on each request (current_user.role / the User row), "
                    "not from a copy stored in the session at login."):
        expect_status(carol_client.get("/admin"), 200,
                      msg="carol is an admin now, in the session she already has (without logging in again).")


@pytest.mark.req(6)
def test_other_roles_are_refused(app, db_inspect):
    """Any other role, "Admin" and " admin" included, answers 400 and changes nothing"""
    boss = _admin_client(app, db_inspect)
    carol = _register(app.test_client(), "carol")
    url = "/admin/users/%d/role" % carol["id"]
    for role in ("emperor", "Admin", "ADMIN", " admin", "admin ", "", None):
        expect_status(
            boss.post(url, json={"role": role}), 400,
            msg='%s is not a role: only "admin" and "user" are, exactly as written (compare the value as sent, '
                'without .lower() or .strip(); anything else answers 400).' % json.dumps(role),
        )
    roles = {r.get("username"): r.get("role") for r in _rows(db_inspect, "user")}
    assert roles.get("carol") == "user", (
        'A refused role must change nothing: carol should still be "user"; the user table holds %r.' % roles
    )
