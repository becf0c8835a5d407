"""Checks for f4-protected-route: /dashboard and /account need a logged-in user. Each check names
the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

from flask_tutor_pytest import about, expect_json, expect_status

PASSWORD = "correct horse battery"


def _login_as(client, username):
    expect_status(client.post("/register", json={"username": username, "password": PASSWORD}), 201,
                  msg="Registering %r (already written in auth.py) should work." % username)
    expect_status(client.post("/login", json={"username": username, "password": PASSWORD}), 200,
                  msg="Logging in as %r (already written in auth.py) should work." % username)


def _expect_refused(response, path, after=""):
    if 300 <= response.status_code < 400:
        raise AssertionError(
            "GET %s redirected an anonymous visitor to %s; this API should answer 401 instead. "
            "With Flask-Login, do not set login_manager.login_view in this app."
            % (path, response.headers.get("Location"))
        )
    expect_status(response, 401, msg="An anonymous visitor must not see %s%s." % (path, after))


@pytest.mark.req(1)
def test_dashboard_refuses_anonymous(client):
    """GET /dashboard without logging in answers 401"""
    _expect_refused(client.get("/dashboard"), "/dashboard")


@pytest.mark.req(2)
def test_dashboard_greets_logged_in_user(client):
    """GET /dashboard after logging in answers 200 with the username"""
    _login_as(client, "ada")
    data = expect_json(client.get("/dashboard"), status=200)
    assert isinstance(data, dict) and data.get("username") == "ada", (
        'GET /dashboard should answer JSON with "username": "ada" for the logged-in user; it answered %r.' % data
    )


@pytest.mark.req(2)
def test_each_user_sees_own_dashboard(app):
    """Two users logged in at the same time each see their own name on /dashboard"""
    ada, grace = app.test_client(), app.test_client()
    _login_as(ada, "ada")
    _login_as(grace, "grace")
    expect_json(ada.get("/dashboard"), {"username": "ada"}, status=200, subset=True)
    expect_json(grace.get("/dashboard"), {"username": "grace"}, status=200, subset=True,
                msg="The dashboard must show the user of the session, not a fixed name.")


@pytest.mark.req(3)
def test_account_is_protected_too(client):
    """GET /account answers 401 when anonymous and 200 with the user when logged in"""
    with about(hint="An anonymous visitor must be turned away before the view runs: @login_required on the "
                    "/account view, written below its route decorator."):
        _expect_refused(client.get("/account"), "/account")
    _login_as(client, "ada")
    data = expect_json(client.get("/account"), {"username": "ada"}, status=200, subset=True)
    assert set(data) == {"id", "username"}, (
        f"GET /account should answer only the user's id and username, got the keys {sorted(data)}: "
        "never send password_hash (or any other column) to the browser."
    )


@pytest.mark.req(4)
def test_logout_locks_dashboard_again(client):
    """After POST /logout, GET /dashboard answers 401 again"""
    _login_as(client, "ada")
    expect_status(client.get("/dashboard"), 200, msg="Logged in, the dashboard should open.")
    expect_status(client.post("/logout"), (200, 204))
    _expect_refused(
        client.get("/dashboard"), "/dashboard",
        after=" after POST /logout: logging out must forget the user (session.clear(), or pop the key you set at login)",
    )
