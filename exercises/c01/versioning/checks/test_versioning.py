"""Checks for c01-versioning: versions by URL (/api/v1, /api/v2) and by Accept-Version on /api/books.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

from flask_tutor_pytest.helpers import about

V1 = {1: {"id": 1, "title": "Dune", "author": "Frank Herbert"},
      2: {"id": 2, "title": "Good Omens", "author": "Terry Pratchett, Neil Gaiman"}}
V2 = {1: {"id": 1, "title": "Dune", "authors": ["Frank Herbert"], "year": 1965},
      2: {"id": 2, "title": "Good Omens", "authors": ["Terry Pratchett", "Neil Gaiman"], "year": 1990}}
SHAPES = {"1": V1, "2": V2}


def _ok(response, what):
    assert response.status_code == 200, f"{what} should answer 200, got {response.status_code}"
    body = response.get_json(silent=True)
    assert body is not None, f"{what} should answer JSON, got {response.get_data(as_text=True)[:200]!r}"
    return body


def _same(body, expected, what):
    text = str(body)
    assert "INT-000" not in text and "sku" not in text, f"{what} must not leak the internal sku, got {body}"
    assert body == expected, f"{what} should answer exactly {expected}, got {body}"


def _not_found(response, what):
    assert response.status_code == 404, f"{what} should answer 404, got {response.status_code}"
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and isinstance(body.get("message"), str), (
        f"{what} should answer a JSON object with a message, got {response.get_data(as_text=True)[:200]!r}"
    )


@pytest.mark.req(1)
def test_v1_by_url(client):
    """/api/v1/books and /api/v1/books/<id> answer the v1 shape; 404 for an unknown id"""
    _same(_ok(client.get("/api/v1/books"), "GET /api/v1/books"), [V1[1], V1[2]], "GET /api/v1/books")
    _same(_ok(client.get("/api/v1/books/2"), "GET /api/v1/books/2"), V1[2], "GET /api/v1/books/2")
    _not_found(client.get("/api/v1/books/99"), "GET /api/v1/books/99")


@pytest.mark.req(2)
def test_v2_by_url(client):
    """/api/v2/books and /api/v2/books/<id> answer the v2 shape; 404 for an unknown id"""
    with about(hint="Marshal with the BookV2 model (`@v2.marshal_with(book_v2)`) so only its fields leave the server."):
        _same(_ok(client.get("/api/v2/books"), "GET /api/v2/books"), [V2[1], V2[2]], "GET /api/v2/books")
        _same(_ok(client.get("/api/v2/books/2"), "GET /api/v2/books/2"), V2[2], "GET /api/v2/books/2")
    _not_found(client.get("/api/v2/books/99"), "GET /api/v2/books/99")


@pytest.mark.req(3)
def test_by_header(client):
    """Accept-Version 1 or 2 on /api/books chooses the shape; none means 1"""
    for version, shapes in SHAPES.items():
        what = f"GET /api/books with Accept-Version: {version}"
        with about(hint="Read `request.headers.get(\"Accept-Version\", \"1\")` and marshal with that version's model."):
            _same(_ok(client.get("/api/books", headers={"Accept-Version": version}), what), [shapes[1], shapes[2]], what)
            what = f"GET /api/books/1 with Accept-Version: {version}"
            _same(_ok(client.get("/api/books/1", headers={"Accept-Version": version}), what), shapes[1], what)
    _same(_ok(client.get("/api/books/2"), "GET /api/books/2 without Accept-Version"), V1[2],
          "GET /api/books/2 without Accept-Version (version 1 by default)")
    _not_found(client.get("/api/books/99", headers={"Accept-Version": "2"}), "GET /api/books/99")


@pytest.mark.req(4)
def test_unknown_version(client):
    """Any other Accept-Version answers 400 with a message"""
    for value in ("3", "latest", "v2"):
        response = client.get("/api/books", headers={"Accept-Version": value})
        with about(hint="Do not fall back silently: `negotiated.abort(400, ...)` for a version you do not serve."):
            assert response.status_code == 400, (
                f"GET /api/books with Accept-Version: {value} should answer 400, got {response.status_code}"
            )
        body = response.get_json(silent=True)
        assert isinstance(body, dict) and isinstance(body.get("message"), str), (
            f"the 400 should be a JSON object with a message, got {response.get_data(as_text=True)[:200]!r}"
        )


@pytest.mark.req(5)
def test_version_headers(client):
    """API-Version on every 200; Vary: Accept-Version on /api/books"""
    for url, headers, version in (("/api/v1/books", {}, "1"), ("/api/v1/books/1", {}, "1"), ("/api/v2/books", {}, "2"),
                                  ("/api/v2/books/1", {}, "2"), ("/api/books", {}, "1"),
                                  ("/api/books/1", {"Accept-Version": "2"}, "2"), ("/api/books", {"Accept-Version": "1"}, "1")):
        response = client.get(url, headers=headers)
        what = f"GET {url}" + (f" with Accept-Version: {headers['Accept-Version']}" if headers else "")
        assert response.status_code == 200, f"{what} should answer 200, got {response.status_code}"
        got = response.headers.get("API-Version")
        assert got == version, f"{what} should carry the header API-Version: {version}, got {got!r}"
        if url.startswith("/api/books"):
            vary = [v.strip().lower() for v in response.headers.get("Vary", "").split(",")]
            with about(hint="Return `data, 200, {\"API-Version\": version, \"Vary\": \"Accept-Version\"}`."):
                assert "accept-version" in vary, f"{what} should carry Vary: Accept-Version, got {response.headers.get('Vary')!r}"


@pytest.mark.req(6)
def test_swagger(client):
    """/swagger serves the UI; /swagger.json documents every path and both models"""
    response = client.get("/swagger.json")
    assert response.status_code == 200, f"GET /swagger.json should answer the OpenAPI document, got {response.status_code}"
    spec = response.get_json(silent=True) or {}
    paths = set(spec.get("paths") or {})
    for path in ("/api/v1/books", "/api/v1/books/{book_id}", "/api/v2/books", "/api/v2/books/{book_id}",
                 "/api/books", "/api/books/{book_id}"):
        assert path in paths, f"the OpenAPI document should describe {path}, got paths {sorted(paths)}"
    models = set(spec.get("definitions") or {})
    for name in ("BookV1", "BookV2"):
        assert name in models, f"the OpenAPI document should define a model named {name}, got {sorted(models)}"
    assert client.get("/swagger").status_code == 200, "GET /swagger should serve Swagger UI"
