"""Checks for f5-json-errors: every error answers {"error": {"code": ..., "message": ...}}.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest


def _envelope(response, status, what):
    """Assert the status and the JSON error format; return the inner "error" object."""
    assert response.status_code == status, f"{what} should answer {status}, got {response.status_code}"
    assert response.is_json, (
        f"{what} should answer JSON, got Content-Type {response.content_type!r}: "
        f"{response.get_data(as_text=True)[:200]!r}"
    )
    body = response.get_json()
    error = body.get("error") if isinstance(body, dict) else None
    assert isinstance(error, dict), f'{what} should answer {{"error": {{"code": ..., "message": ...}}}}, got {body}'
    assert error.get("code") == status, f'"error.code" should be the status {status}, got {error.get("code")!r}'
    message = error.get("message")
    assert isinstance(message, str) and message.strip(), f'"error.message" should be a non-empty string, got {message!r}'
    return error


@pytest.mark.req(1, 2)
def test_unknown_url_is_json_404(client):
    """GET on a URL that does not exist answers a JSON 404"""
    _envelope(client.get("/api/does-not-exist"), 404, "GET /api/does-not-exist")


@pytest.mark.req(1, 2)
def test_missing_book_is_json_404(client):
    """GET /api/books/999 (no such book) answers a JSON 404"""
    _envelope(client.get("/api/books/999"), 404, "GET /api/books/999")


@pytest.mark.req(1, 3)
def test_invalid_json_is_json_400(client):
    """POST /api/books with a body that is not valid JSON answers a JSON 400"""
    response = client.post("/api/books", data="{not json", content_type="application/json")
    _envelope(response, 400, "POST /api/books with an invalid JSON body")


@pytest.mark.req(4)
def test_validation_error_is_json_422(client):
    """POST /api/books with a blank title answers a JSON 422 with the field errors"""
    response = client.post("/api/books", json={"title": "  ", "author": "Frank Herbert"})
    error = _envelope(response, 422, 'POST /api/books with title "  "')
    fields = error.get("fields")
    assert isinstance(fields, dict) and "title" in fields, (
        f'the 422 error should list the bad fields in "error.fields", e.g. {{"title": "..."}}, got {fields!r}'
    )
    assert "author" not in fields, f"author was valid and should not be in error.fields, got {fields}"
    # Two bad fields at once: both are reported, not only the first one found.
    response = client.post("/api/books", json={"title": "", "author": "   "})
    error = _envelope(response, 422, 'POST /api/books with a blank title and a blank author')
    fields = error.get("fields")
    assert isinstance(fields, dict), (
        f'with a blank title and a blank author, "error.fields" should have an entry for each '
        f"(one entry per bad field: check every field, do not stop at the first bad one), got {fields!r}"
    )
    assert {"title", "author"} <= set(fields), (
        f'with a blank title and a blank author, "error.fields" should have an entry for each '
        f"(one entry per bad field: check every field, do not stop at the first bad one), got {fields!r}"
    )


@pytest.mark.req(1, 5)
def test_wrong_method_is_json_405_with_allow(client):
    """DELETE /api/books (not allowed) answers a JSON 405 that keeps its Allow header"""
    response = client.delete("/api/books")
    # The 405 is what this check provokes: its status test stays here (no "add DELETE" advice).
    assert response.status_code == 405, f"DELETE /api/books should answer 405, got {response.status_code}"
    _envelope(response, 405, "DELETE /api/books")
    allow = {m.strip().upper() for m in response.headers.get("Allow", "").split(",") if m.strip()}
    assert {"GET", "POST"} <= allow, (
        f"a 405 must tell the client which methods work in its Allow header (GET, POST here), "
        f"got Allow: {response.headers.get('Allow')!r}: the error handler should keep the headers of "
        f"Werkzeug's response (e.get_response()), or set Allow from e.valid_methods"
    )


@pytest.mark.req(1, 6)
def test_unexpected_exception_is_json_500(app, client):
    """An exception inside a view answers a JSON 500 that reveals nothing about it"""

    def crash():
        raise RuntimeError("tutor-secret-detail")

    # A route of our own that fails, added before any request; 500s are answered, not raised.
    app.add_url_rule("/api/_tutor_crash", "_tutor_crash", crash)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/api/_tutor_crash")
    _envelope(response, 500, "A view that raises an exception")
    text = response.get_data(as_text=True)
    assert "tutor-secret-detail" not in text and "Traceback" not in text, (
        f"the 500 answer must not reveal the exception's details to the client, got {text[:300]!r}"
    )


@pytest.mark.req(7)
def test_successful_requests_still_work(client):
    """The API still works: POST, GET and DELETE /api/books answer 201, 200 and 204"""
    response = client.post("/api/books", json={"title": "Dune", "author": "Frank Herbert", "year": 1965})
    assert response.status_code == 201, f"POST /api/books with a valid book should answer 201, got {response.status_code}"
    book_id = (response.get_json(silent=True) or {}).get("id")
    assert isinstance(book_id, int), f"POST /api/books should answer the new book with its id, got {response.get_data(as_text=True)[:200]!r}"
    response = client.get(f"/api/books/{book_id}")
    assert response.status_code == 200, f"GET /api/books/{book_id} should answer 200, got {response.status_code}"
    response = client.delete(f"/api/books/{book_id}")
    assert response.status_code == 204, f"DELETE /api/books/{book_id} should answer 204, got {response.status_code}"
    _envelope(client.get(f"/api/books/{book_id}"), 404, "GET on a deleted book")
