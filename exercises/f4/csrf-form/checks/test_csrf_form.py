"""Checks for f4-csrf-form: the feedback form is protected by a CSRF token.

The checks turn CSRF protection on (WTF_CSRF_ENABLED = True) whatever the test configuration
says, because that is what your app does in real life. Each check names the brief's numbered
requirements it covers (@pytest.mark.req).
"""
from html.parser import HTMLParser

import pytest

from flask_tutor_pytest import expect_header, expect_status

FIELDS = {"name": "Ada", "message": "Lovely site!"}


def _rows(db_inspect, table):
    """The rows of ``table``; a clear failure when the table does not exist."""
    tables = db_inspect.tables()
    assert table in tables, (
        "There is no table named %r in the database (tables: %s). Flask-SQLAlchemy names a "
        "model's table after its class (Todo -> todo) unless __tablename__ says otherwise."
        % (table, ", ".join(tables) or "none")
    )
    return db_inspect.rows(table)


class _TokenFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tokens = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == "csrf_token":
            self.tokens.append(attrs)


@pytest.mark.req(1)
def test_csrf_is_not_switched_off_in_the_app(app):
    """The app's own configuration leaves CSRF protection on (no WTF_CSRF_ENABLED = False)"""
    assert app.config.get("WTF_CSRF_ENABLED", True) is not False, (
        "The app sets WTF_CSRF_ENABLED = False: in production every form would then accept a POST without a "
        "token. Leave it out (it is on by default); tests that need it off set it in their own config."
    )


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture
def browser(csrf_app):
    return csrf_app.test_client()


def _token_inputs(client):
    response = expect_status(client.get("/feedback"), 200)
    finder = _TokenFinder()
    finder.feed(response.get_data(as_text=True))
    return finder.tokens


def _token(client):
    tokens = _token_inputs(client)
    assert tokens and tokens[0].get("value"), (
        'The form of GET /feedback has no hidden <input name="csrf_token" value="..."> with a '
        "token. Add one to templates/feedback.html with the value {{ csrf_token() }}."
    )
    return tokens[0]["value"]


def _stored(db_inspect):
    return len(_rows(db_inspect, "feedback")) if "feedback" in db_inspect.tables() else 0


@pytest.mark.req(4)
def test_form_contains_csrf_token(browser):
    """GET /feedback renders a hidden csrf_token input with a real token"""
    tokens = _token_inputs(browser)
    assert tokens, 'The form of GET /feedback has no <input name="csrf_token">. Add one to templates/feedback.html.'
    field = tokens[0]
    assert field.get("type") == "hidden", 'The csrf_token input should be type="hidden": it is not for people to type.'
    value = field.get("value") or ""
    assert value, "The csrf_token input has no value. Use value=\"{{ csrf_token() }}\"."
    assert not any(word in value for word in ("<", "function", "method", "Undefined")), (
        "The csrf_token input's value is %r: that is the function itself, not a token. Call it: "
        "value=\"{{ csrf_token() }}\" (with the parentheses)." % value
    )


@pytest.mark.req(1)
def test_post_without_token_is_refused(browser, db_inspect):
    """POST /feedback without a CSRF token answers 400 and stores nothing"""
    browser.get("/feedback")
    expect_status(browser.post("/feedback", data=FIELDS), 400,
                  msg="A form sent without a CSRF token must be refused. Is CSRFProtect set up in create_app()?")
    assert _stored(db_inspect) == 0, "The refused form must not be stored in the feedback table."


@pytest.mark.req(2)
def test_post_with_forged_token_is_refused(browser, db_inspect):
    """POST /feedback with a made-up token answers 400 and stores nothing"""
    browser.get("/feedback")
    expect_status(browser.post("/feedback", data=dict(FIELDS, csrf_token="made-up-token")), 400,
                  msg="A forged CSRF token must be refused.")
    assert _stored(db_inspect) == 0, "The refused form must not be stored in the feedback table."


@pytest.mark.req(5)
def test_post_with_token_from_form_succeeds(browser, db_inspect):
    """POST /feedback with the token from the rendered form is stored and redirects to /thanks"""
    token = _token(browser)
    response = expect_status(browser.post("/feedback", data=dict(FIELDS, csrf_token=token)), (302, 303),
                             msg="A valid form with its token should be accepted.")
    location = expect_header(response, "Location")
    assert location.split("?")[0].endswith("/thanks"), "After sending the form, redirect to /thanks (Location was %r)." % location
    rows = _rows(db_inspect, "feedback")
    assert [(r.get("name"), r.get("message")) for r in rows] == [("Ada", "Lovely site!")], (
        "The accepted feedback should be stored in the feedback table; it holds: %r" % rows
    )


@pytest.mark.req(3)
def test_token_of_another_visitor_is_refused(csrf_app, db_inspect):
    """A token copied from another visitor's form is refused with 400"""
    victim, attacker = csrf_app.test_client(), csrf_app.test_client()
    stolen = _token(attacker)
    victim.get("/feedback")
    expect_status(victim.post("/feedback", data=dict(FIELDS, csrf_token=stolen)), 400,
                  msg="The token belongs to another session: it must not be accepted.")
    assert _stored(db_inspect) == 0, "The refused form must not be stored in the feedback table."
