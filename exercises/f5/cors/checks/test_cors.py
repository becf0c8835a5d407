"""Checks for f5-cors: the front-end at http://localhost:5173 may call /api/*, nobody else. Each
check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

# CORS is an app-level concern: a failure points at where the app is made, not at the view called.
pytestmark = [
    pytest.mark.blame("app"),
    pytest.mark.hint(
        "CORS is set up once, where the app is made: Flask-CORS's CORS(app, resources={r\"/api/*\": "
        "{...}}) with the front-end's origin, or one after_request hook that adds the headers."
    ),
]

FRONTEND = "http://localhost:5173"
OTHER = "http://evil.example"


def _tokens(value):
    return {t.strip().lower() for t in (value or "").split(",") if t.strip()}


def _acao(response):
    return response.headers.get("Access-Control-Allow-Origin")


def _assert_frontend_allowed(response, what):
    assert _acao(response) == FRONTEND, (
        f"{what} from Origin {FRONTEND} should carry Access-Control-Allow-Origin: {FRONTEND}, "
        f"got {_acao(response)!r}"
    )


def _preflight(client, url, method, headers="Content-Type"):
    request_headers = {"Origin": FRONTEND, "Access-Control-Request-Method": method}
    if headers:
        request_headers["Access-Control-Request-Headers"] = headers
    response = client.options(url, headers=request_headers)
    what = f"The preflight OPTIONS {url} (for a {method})"
    assert 200 <= response.status_code < 300, f"{what} should answer 200 or 204, got {response.status_code}"
    _assert_frontend_allowed(response, what)
    methods = _tokens(response.headers.get("Access-Control-Allow-Methods"))
    assert method.lower() in methods or "*" in methods, (
        f"{what} should list {method} in Access-Control-Allow-Methods, "
        f"got {response.headers.get('Access-Control-Allow-Methods')!r}"
    )
    if not headers:
        return
    allowed_headers = _tokens(response.headers.get("Access-Control-Allow-Headers"))
    assert "content-type" in allowed_headers or "*" in allowed_headers, (
        f"{what} asked for the Content-Type header: Access-Control-Allow-Headers should allow it, "
        f"got {response.headers.get('Access-Control-Allow-Headers')!r}"
    )


@pytest.mark.req(1)
def test_get_from_frontend_is_allowed(client):
    """GET /api/books from http://localhost:5173 gets Access-Control-Allow-Origin for that origin"""
    response = client.get("/api/books", headers={"Origin": FRONTEND})
    assert response.status_code == 200, f"GET /api/books should answer 200, got {response.status_code}"
    _assert_frontend_allowed(response, "GET /api/books")


@pytest.mark.req(1)
def test_post_from_frontend_is_allowed(client):
    """A cross-origin POST /api/books from the front-end is answered with the CORS header"""
    response = client.post(
        "/api/books", json={"title": "Dune", "author": "Frank Herbert"}, headers={"Origin": FRONTEND}
    )
    assert response.status_code == 201, f"POST /api/books should still answer 201, got {response.status_code}"
    _assert_frontend_allowed(response, "POST /api/books")


@pytest.mark.req(2)
def test_preflight_for_post(client):
    """The preflight OPTIONS /api/books for a JSON POST allows the method and the Content-Type header"""
    _preflight(client, "/api/books", "POST")


@pytest.mark.req(2)
def test_preflight_for_patch_and_delete(client):
    """Preflights for PATCH and DELETE /api/books/1 allow those methods"""
    _preflight(client, "/api/books/1", "PATCH")
    _preflight(client, "/api/books/1", "DELETE", headers=None)


@pytest.mark.req(3)
def test_other_origins_are_not_allowed(client):
    """A request from another origin gets no Access-Control-Allow-Origin for itself, and never *"""
    allowed = client.get("/api/books", headers={"Origin": FRONTEND})
    _assert_frontend_allowed(allowed, "First, GET /api/books")
    response = client.get("/api/books", headers={"Origin": OTHER})
    assert _acao(response) not in (OTHER, "*"), (
        f"Origin {OTHER} must not be allowed: got Access-Control-Allow-Origin: {_acao(response)!r} "
        f"(only {FRONTEND} may call the API from a browser; never use *)"
    )
    preflight = client.options(
        "/api/books", headers={"Origin": OTHER, "Access-Control-Request-Method": "POST"}
    )
    assert _acao(preflight) not in (OTHER, "*"), (
        f"a preflight from {OTHER} must not be allowed, got Access-Control-Allow-Origin: {_acao(preflight)!r}"
    )


@pytest.mark.req(4)
def test_only_api_routes_get_cors(client):
    """Routes outside /api/ (GET /health) send no CORS headers, even to the front-end"""
    allowed = client.get("/api/books", headers={"Origin": FRONTEND})
    _assert_frontend_allowed(allowed, "First, GET /api/books")
    response = client.get("/health", headers={"Origin": FRONTEND})
    assert response.status_code == 200, f"GET /health should answer 200, got {response.status_code}"
    assert _acao(response) is None, (
        f"only /api/* should be open to the front-end; GET /health answered "
        f"Access-Control-Allow-Origin: {_acao(response)!r}"
    )


@pytest.mark.req(5)
@pytest.mark.app_config(FRONTEND_ORIGIN="https://shop.example.org")
def test_origin_comes_from_config(client):
    """With FRONTEND_ORIGIN set to another front-end, that origin is allowed and localhost:5173 is not"""
    response = client.get("/api/books", headers={"Origin": "https://shop.example.org"})
    assert _acao(response) == "https://shop.example.org", (
        "With app.config[\"FRONTEND_ORIGIN\"] = \"https://shop.example.org\", that origin should be allowed; got "
        f"Access-Control-Allow-Origin: {_acao(response)!r}. Read the origin from app.config instead of writing it in the code."
    )
    assert _acao(client.get("/api/books", headers={"Origin": FRONTEND})) is None, (
        f"With another FRONTEND_ORIGIN configured, {FRONTEND} should no longer be allowed."
    )
