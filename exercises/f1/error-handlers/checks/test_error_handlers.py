"""Checks for f1-error-handlers. Each check names the brief's numbered requirements it covers."""
import pytest


@pytest.fixture
def app_handling_errors(app):
    # With TESTING=True Flask re-raises exceptions instead of calling the 500 handler;
    # PROPAGATE_EXCEPTIONS=False makes it behave as in production.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def _expect_json(response, what, status, body):
    assert response.status_code == status, "%s should answer %s.%s" % (
        what,
        status,
        " An error handler's answer is 200 unless it returns the status too: `return {...}, %s`." % status
        if response.status_code == 200 else "",
    )
    assert response.is_json, (
        "%s should answer with JSON (Content-Type: application/json), not %r: register an error handler "
        "that returns a dict." % (what, response.content_type)
    )
    assert response.get_json() == body, "%s should answer exactly %r; got %r." % (what, body, response.get_json())


@pytest.mark.req(1)
def test_unknown_url_is_json_404(client):
    """An unknown URL answers 404 with {"error": "not found"}"""
    response = client.get("/no/such/page")
    _expect_json(response, "GET /no/such/page", 404, {"error": "not found"})


@pytest.mark.req(2)
def test_abort_404_is_json(client):
    """abort(404) in a view (GET /items/999) answers 404 with {"error": "not found"}"""
    ok = client.get("/items/1")
    assert ok.status_code == 200, "GET /items/1 should still answer 200: keep the existing routes."
    response = client.get("/items/999")
    _expect_json(response, "GET /items/999", 404, {"error": "not found"})


@pytest.mark.req(3)
def test_crash_is_json_500(app_handling_errors, client):
    """A crashing view (GET /boom) answers 500 with {"error": "internal server error"}"""
    response = client.get("/boom")
    _expect_json(response, "GET /boom", 500, {"error": "internal server error"})


@pytest.mark.req(4)
def test_any_crash_is_json_500(app_handling_errors):
    """Any crashing view answers the JSON 500 without revealing the exception's message"""
    app = app_handling_errors
    url = "/boom"

    def tutor_crash():
        raise KeyError("secret-value-42")

    try:  # a second crashing route with another exception type (only possible before the first request)
        app.add_url_rule("/tutor-crash-probe", "tutor_crash_probe", tutor_crash)
        url = "/tutor-crash-probe"
    except AssertionError:
        pass
    response = app.test_client().get(url)
    _expect_json(response, "A view raising KeyError", 500, {"error": "internal server error"})
    body = response.get_data(as_text=True)
    assert "secret-value-42" not in body and "hunter2" not in body and "Traceback" not in body, (
        "The 500 answer must not contain the exception's message or a traceback: clients should "
        "only see a generic error."
    )
