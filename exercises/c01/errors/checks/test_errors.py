"""Checks for c01-errors: RFC 9457 problem details for 404, 405, 400, 500 and a custom exception.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

from flask_tutor_pytest.helpers import about

PROBLEM = "application/problem+json"


def _problem(response, status, what):
    assert response.status_code == status, f"{what} should answer {status}, got {response.status_code}"
    text = response.get_data(as_text=True)
    assert "<html" not in text.lower() and "<!doctype" not in text.lower(), (
        f"{what} should answer a JSON problem, not an HTML page: {text[:200]!r}"
    )
    with about(hint="Set `response.content_type = \"application/problem+json\"` on every error response.",
               blame="app"):
        assert response.mimetype == PROBLEM, (
            f"{what} should have the Content-Type application/problem+json, got {response.content_type!r}"
        )
    body = response.get_json(force=True, silent=True)
    assert isinstance(body, dict), f"{what} should answer a JSON object, got {text[:200]!r}"
    for key, kind in (("type", str), ("title", str), ("status", int), ("detail", str)):
        assert isinstance(body.get(key), kind) and not isinstance(body.get(key), bool), (
            f"the problem of {what} should have {key!r} as a {kind.__name__}, got {body}"
        )
    assert body["status"] == status, f"the problem's status member should be {status}, got {body['status']!r}"
    return body


@pytest.mark.req(1, 2)
def test_unknown_url(client):
    """An unknown URL answers a 404 problem, type about:blank, title Not Found"""
    body = _problem(client.get("/nowhere/at/all"), 404, "GET /nowhere/at/all")
    assert (body["type"], body["title"]) == ("about:blank", "Not Found"), (
        f'an unknown URL should have type "about:blank" and title "Not Found", got {body}'
    )


@pytest.mark.req(1, 2)
def test_unknown_item(client):
    """GET /api/items/999 answers a 404 problem with detail 'item 999 not found'"""
    body = _problem(client.get("/api/items/999"), 404, "GET /api/items/999")
    assert body["detail"] == "item 999 not found", f'the detail should be "item 999 not found", got {body["detail"]!r}'
    assert client.get("/api/items/1").status_code == 200, "GET /api/items/1 should still answer 200"


@pytest.mark.req(1, 3)
def test_method_not_allowed(client):
    """DELETE /api/items/1 answers a 405 problem and keeps the Allow header"""
    response = client.delete("/api/items/1")
    # Compared here, in the check itself, so the plugin knows the 405 is provoked on purpose and
    # gives no "add DELETE to methods" advice.
    assert response.status_code == 405, f"DELETE /api/items/1 (a route that allows only GET) should answer 405, got {response.status_code}"
    body = _problem(response, 405, "DELETE /api/items/1")
    assert body["title"] == "Method Not Allowed", f'the title should be "Method Not Allowed", got {body["title"]!r}'
    allow = response.headers.get("Allow", "")
    with about(hint="Copy the headers of `error.get_headers()` (except Content-Type) onto your problem response."):
        assert "GET" in allow, f"a 405 should keep the Allow header listing the allowed methods (GET), got {allow!r}"


@pytest.mark.req(1, 4)
def test_bad_request(client):
    """A bad body answers a 400 problem; a good one still 201 application/json"""
    for label, kwargs in (("no body", {}), ("a JSON array", {"json": [1]}), ("no name", {"json": {"stock": 3}}),
                          ("a number as name", {"json": {"name": 5}}), ("an empty name", {"json": {"name": " "}}),
                          ("broken JSON", {"data": "{oops", "content_type": "application/json"})):
        body = _problem(client.post("/api/items", **kwargs), 400, f"POST /api/items with {label}")
        assert body["title"] == "Bad Request", f'the title should be "Bad Request", got {body["title"]!r}'
    response = client.post("/api/items", json={"name": "mouse"})
    assert response.status_code == 201, f"POST /api/items with a valid name should answer 201, got {response.status_code}"
    assert response.mimetype == "application/json", f"a success should stay application/json, got {response.content_type!r}"


@pytest.mark.req(1, 5)
def test_unexpected_exception(app):
    """An exception answers a 500 problem without its message or a traceback"""
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production
    response = app.test_client().get("/api/boom")
    text = response.get_data(as_text=True)
    with about(hint="Log the exception on the server (`app.logger.exception(...)`) and answer a generic detail."):
        assert "hunter2" not in text and "Traceback" not in text and "RuntimeError" not in text, (
            f"a 500 must not leak the exception's message or traceback to the client, got {text[:300]!r}"
        )
    body = _problem(response, 500, "GET /api/boom")
    assert body["title"] == "Internal Server Error", f'the title should be "Internal Server Error", got {body["title"]!r}'


@pytest.mark.req(1, 6)
def test_out_of_stock(client):
    """OutOfStock answers a 409 problem of its own type with 'available'"""
    response = client.post("/api/items/1/reserve", json={"quantity": 10})
    with about(hint="Register a handler for OutOfStock: `@app.errorhandler(OutOfStock)`."):
        body = _problem(response, 409, "POST /api/items/1/reserve with 10 (3 in stock)")
    assert body["type"] == "https://api.example.com/problems/out-of-stock", f"wrong type: {body['type']!r}"
    assert body["title"] == "Out of stock", f'the title should be "Out of stock", got {body["title"]!r}'
    assert body.get("available") == 3, f'the problem should carry "available": 3 (the stock left), got {body}'
    response = client.post("/api/items/1/reserve", json={"quantity": 2})
    assert response.status_code == 200, f"reserving 2 of 3 should answer 200, got {response.status_code}"
    body = _problem(client.post("/api/items/1/reserve", json={"quantity": 2}), 409, "reserving 2 when 1 is left")
    assert body.get("available") == 1, f'after reserving 2, "available" should be 1, got {body}'
