"""Checks for p0-cors: the front-end at http://localhost:5173 may call /api/* with credentials. Each
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
ALICE = {"username": "alice_01", "email": "alice@example.com", "password": "correct-horse-42"}


def _tokens(value):
    return {t.strip().lower() for t in (value or "").split(",") if t.strip()}


def _acao(response):
    return response.headers.get("Access-Control-Allow-Origin")


def _assert_frontend_with_credentials(response, what):
    acao = _acao(response)
    assert acao == FRONTEND, (
        f"{what} from Origin {FRONTEND} should carry Access-Control-Allow-Origin: {FRONTEND} "
        f"(exactly that origin: browsers refuse * when credentials are sent), got {acao!r}"
    )
    acac = response.headers.get("Access-Control-Allow-Credentials")
    assert acac == "true", (
        f"{what} should carry Access-Control-Allow-Credentials: true so the browser sends the "
        f"session cookie, got {acac!r}"
    )


def _preflight(client, url, method, headers=None):
    request_headers = {"Origin": FRONTEND, "Access-Control-Request-Method": method}
    if headers:
        request_headers["Access-Control-Request-Headers"] = headers
    response = client.options(url, headers=request_headers)
    what = f"The preflight OPTIONS {url} (for a {method})"
    assert 200 <= response.status_code < 300, f"{what} should answer 200 or 204, got {response.status_code}"
    _assert_frontend_with_credentials(response, what)
    methods = _tokens(response.headers.get("Access-Control-Allow-Methods"))
    assert method.lower() in methods, (
        f"{what} should list {method} in Access-Control-Allow-Methods (with credentials, * is not a "
        f"wildcard), got {response.headers.get('Access-Control-Allow-Methods')!r}"
    )
    if headers:
        allowed = _tokens(response.headers.get("Access-Control-Allow-Headers"))
        assert "content-type" in allowed, (
            f"{what} asked for Content-Type: Access-Control-Allow-Headers should name it, "
            f"got {response.headers.get('Access-Control-Allow-Headers')!r}"
        )


@pytest.mark.req(1)
def test_get_from_frontend_allows_credentials(client):
    """GET /api/posts from http://localhost:5173 allows that exact origin with credentials"""
    response = client.get("/api/posts", headers={"Origin": FRONTEND})
    assert response.status_code == 200, f"GET /api/posts should answer 200, got {response.status_code}"
    _assert_frontend_with_credentials(response, "GET /api/posts")


@pytest.mark.req(2)
def test_preflight_for_json_post(client):
    """The preflight for a JSON POST /api/posts allows POST, Content-Type and credentials"""
    _preflight(client, "/api/posts", "POST", headers="Content-Type")


@pytest.mark.req(2)
def test_preflight_for_patch_and_delete(client):
    """Preflights for PATCH and DELETE /api/posts/1 allow those methods with credentials"""
    _preflight(client, "/api/posts/1", "PATCH", headers="Content-Type")
    _preflight(client, "/api/posts/1", "DELETE")


@pytest.mark.req(3)
def test_login_from_frontend(client):
    """A cross-origin login sets the session cookie, and /api/me then answers the user with CORS headers"""
    response = client.post("/api/users", json=ALICE, headers={"Origin": FRONTEND})
    assert response.status_code == 201, f"POST /api/users should still answer 201, got {response.status_code}"
    response = client.post(
        "/api/login",
        json={"username": ALICE["username"], "password": ALICE["password"]},
        headers={"Origin": FRONTEND},
    )
    assert response.status_code == 200, f"POST /api/login should still answer 200, got {response.status_code}"
    _assert_frontend_with_credentials(response, "POST /api/login")
    assert response.headers.get("Set-Cookie"), "POST /api/login should set the session cookie"
    response = client.get("/api/me", headers={"Origin": FRONTEND})
    assert response.status_code == 200, f"GET /api/me with the session cookie should answer 200, got {response.status_code}"
    _assert_frontend_with_credentials(response, "GET /api/me")


@pytest.mark.req(4)
def test_other_origins_are_not_allowed(client):
    """Another origin is never allowed: no Access-Control-Allow-Origin for it, and never *"""
    allowed = client.get("/api/posts", headers={"Origin": FRONTEND})
    _assert_frontend_with_credentials(allowed, "First, GET /api/posts")
    for other in (OTHER, "http://localhost:3000", "http://localhost:5173.evil.example"):
        response = client.get("/api/posts", headers={"Origin": other})
        assert _acao(response) not in (other, "*"), (
            f"Origin {other} must not be allowed: got Access-Control-Allow-Origin: {_acao(response)!r}. "
            f"Only {FRONTEND} exactly (not another port, not a prefix match): with credentials any allowed "
            "origin can act as the logged-in user."
        )
    preflight = client.options(
        "/api/posts", headers={"Origin": OTHER, "Access-Control-Request-Method": "DELETE"}
    )
    assert _acao(preflight) not in (OTHER, "*"), (
        f"a preflight from {OTHER} must not be allowed, got Access-Control-Allow-Origin: {_acao(preflight)!r}"
    )
