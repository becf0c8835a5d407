"""Checks for c04-rate-limits: Flask-Limiter budgets per client and per route, a stricter login
limit, an exempt health check, JSON 429s with Retry-After, and security headers.
Each check names the brief's numbered requirements it covers (@pytest.mark.req).
Clients are told apart by their remote address (environ_overrides) and their X-API-Key."""
import pytest

from flask_tutor_pytest.helpers import about

SMALL = {"RATELIMIT_DEFAULT": "2 per minute", "API_KEYS": {"key-alpha-123": "alpha", "key-beta-456": "beta"}}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
CSP_DIRECTIVES = {"default-src 'none'", "frame-ancestors 'none'"}
HSTS = "max-age=31536000; includeSubDomains"
BAD_LOGIN = {"username": "alice", "password": "not-the-password"}
GOOD_LOGIN = {"username": "alice", "password": "wonderland"}


def get(client, url, addr="10.0.0.1", key=None, **kwargs):
    headers = {"X-API-Key": key} if key else {}
    return client.get(url, headers=headers, environ_overrides={"REMOTE_ADDR": addr}, **kwargs)


def login(client, body, addr="10.0.0.1"):
    return client.post("/auth/login", json=body, environ_overrides={"REMOTE_ADDR": addr})


def who(addr, key):
    return f"address {addr}" + (f" with X-API-Key {key!r}" if key else "")


def use_up(client, url, addr="10.0.0.1", key=None, limit=2):
    """Make `limit` requests (all must pass), then one more that must be 429."""
    for i in range(limit):
        r = get(client, url, addr, key)
        assert r.status_code == 200, (
            f"request {i + 1} of {limit} to GET {url} from {who(addr, key)} should answer 200 under the limit "
            f"{SMALL['RATELIMIT_DEFAULT']!r}, got {r.status_code}"
        )
    r = get(client, url, addr, key)
    with about(hint="Create the Limiter in security.py and call `limiter.init_app(app)` in `init_security(app)`: "
                    "Flask-Limiter reads `RATELIMIT_DEFAULT` from the configuration then.",
               blame="security.py:init_security"):
        assert r.status_code == 429, (
            f"request {limit + 1} to GET {url} from {who(addr, key)} should answer 429 with "
            f"RATELIMIT_DEFAULT = {SMALL['RATELIMIT_DEFAULT']!r}, got {r.status_code}: the default limit is not applied"
        )
    return r


def check_security_headers(response, what):
    for header, value in SECURITY_HEADERS.items():
        assert response.headers.get(header) == value, (
            f"{what} should carry {header}: {value}, got {response.headers.get(header)!r}"
        )
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {d.strip() for d in csp.split(";") if d.strip()}
    assert CSP_DIRECTIVES <= directives, (
        f"{what} should carry Content-Security-Policy: default-src 'none'; frame-ancestors 'none', got {csp!r}"
    )


@pytest.mark.req(1)
@pytest.mark.app_config(**SMALL)
def test_security_headers_everywhere(client):
    """Security headers on 200, 401, 404 and 429 answers"""
    with about(hint="Add them in an `@app.after_request` function: it runs for error answers too.",
               blame="security.py:init_security"):
        check_security_headers(get(client, "/api/items"), "GET /api/items (200)")
        check_security_headers(get(client, "/health"), "GET /health (200)")
        check_security_headers(login(client, BAD_LOGIN, "10.0.0.9"), "POST /auth/login with a wrong password (401)")
        check_security_headers(get(client, "/api/items/999"), "GET /api/items/999 (404)")
        check_security_headers(get(client, "/no/such/route"), "GET /no/such/route (404)")
        get(client, "/api/items/1", "10.0.0.2")
        get(client, "/api/items/1", "10.0.0.2")
        r = get(client, "/api/items/1", "10.0.0.2")
        assert r.status_code == 429, f"a third GET /api/items/1 with the limit '2 per minute' should answer 429, got {r.status_code}"
        check_security_headers(r, "a 429 answer")


@pytest.mark.req(2)
def test_hsts_over_https_only(client):
    """Strict-Transport-Security on HTTPS, never on HTTP"""
    r = client.get("/api/items", base_url="https://localhost")
    assert r.status_code == 200, f"GET https://localhost/api/items should answer 200, got {r.status_code}"
    value = " ".join(r.headers.get("Strict-Transport-Security", "").split())
    assert value.rstrip(";") == HSTS, (
        f"a response over HTTPS should carry Strict-Transport-Security: {HSTS}, got {value!r}"
    )
    for url in ("/api/items", "/health"):
        r = client.get(url, base_url="http://localhost")
        with about(hint="Set it only when `request.is_secure` is true.", blame="security.py"):
            assert "Strict-Transport-Security" not in r.headers, (
                f"GET http://localhost{url} (plain HTTP) must not carry Strict-Transport-Security, "
                f"got {r.headers.get('Strict-Transport-Security')!r}: browsers ignore it there, and it is sent over HTTP only by mistake"
            )


@pytest.mark.req(3)
@pytest.mark.app_config(**SMALL)
def test_default_limit(client):
    """The default limit from RATELIMIT_DEFAULT answers 429 past the budget"""
    use_up(client, "/api/items")
    use_up(client, "/api/items/2", addr="10.0.0.5")


@pytest.mark.req(3)
@pytest.mark.app_config(RATELIMIT_DEFAULT="3 per minute")
def test_default_limit_read_from_config(client):
    """Another RATELIMIT_DEFAULT is honoured too"""
    for i in range(3):
        r = get(client, "/api/items")
        assert r.status_code == 200, (
            f"request {i + 1} of 3 to GET /api/items should answer 200 with RATELIMIT_DEFAULT = '3 per minute' "
            f"(is the limit read from the configuration?), got {r.status_code}"
        )
    r = get(client, "/api/items")
    assert r.status_code == 429, (
        f"the fourth GET /api/items should answer 429 with RATELIMIT_DEFAULT = '3 per minute', got {r.status_code}"
    )


@pytest.mark.req(4)
@pytest.mark.app_config(**SMALL)
def test_budget_per_address(client):
    """Another remote address keeps its own budget"""
    use_up(client, "/api/items", addr="10.0.0.1")
    r = get(client, "/api/items", addr="10.0.0.2")
    with about(hint="Key the limit by client: a key function returning `request.remote_addr` "
                    "(or the API client), not one shared value.", blame="security.py:client_key"):
        assert r.status_code == 200, (
            f"GET /api/items from another address (10.0.0.2) should answer 200 after 10.0.0.1 used up its budget, "
            f"got {r.status_code}: the limit is counted per app instead of per client"
        )


@pytest.mark.req(4)
@pytest.mark.app_config(**SMALL)
def test_budget_per_api_key(client):
    """A valid API key is one budget from any address; another key has its own"""
    get(client, "/api/items", "10.0.0.1", "key-alpha-123")
    r = get(client, "/api/items", "10.0.0.2", "key-alpha-123")
    assert r.status_code == 200, f"the second request with a valid key should answer 200, got {r.status_code}"
    r = get(client, "/api/items", "10.0.0.3", "key-alpha-123")
    assert r.status_code == 429, (
        f"a third GET /api/items with the same valid X-API-Key from a third address should answer 429 "
        f"(one API client, one budget of 2), got {r.status_code}: the budget of a valid key must not depend on the address"
    )
    r = get(client, "/api/items", "10.0.0.3", "key-beta-456")
    assert r.status_code == 200, (
        f"GET /api/items with another valid key (beta) should answer 200, got {r.status_code}: each API client has its own budget"
    )
    r = get(client, "/api/items", "10.0.0.1")
    assert r.status_code == 200, (
        f"GET /api/items without a key from 10.0.0.1 should answer 200 (its address budget is untouched: "
        f"the earlier requests counted for the API client), got {r.status_code}"
    )


@pytest.mark.req(4)
@pytest.mark.app_config(**SMALL)
def test_unknown_key_counts_against_address(client):
    """Made-up API keys do not buy fresh budgets"""
    use_up(client, "/api/items", addr="10.0.0.7")
    r = get(client, "/api/items", addr="10.0.0.7", key="made-up-key-1")
    with about(hint="Use the API key as the limit key only when it is in `app.config['API_KEYS']`; "
                    "otherwise fall back to the remote address.", blame="security.py:client_key"):
        assert r.status_code == 429, (
            f"GET /api/items from 10.0.0.7 with an X-API-Key that is not in API_KEYS should answer 429 "
            f"(the address used up its budget), got {r.status_code}: a made-up key must not buy a fresh budget"
        )


@pytest.mark.req(5)
@pytest.mark.app_config(**SMALL)
def test_budget_per_route(client):
    """Each route has its own budget"""
    use_up(client, "/api/items", addr="10.0.0.1")
    r = get(client, "/api/items/1", addr="10.0.0.1")
    assert r.status_code == 200, (
        f"GET /api/items/1 should answer 200 after the client used up its budget at GET /api/items, got {r.status_code}: "
        "each route has its own budget"
    )
    use_up(client, "/api/items/3", addr="10.0.0.4")
    r = get(client, "/api/items", addr="10.0.0.4")
    assert r.status_code == 200, (
        f"GET /api/items should answer 200 after the client used up its budget at GET /api/items/<id>, got {r.status_code}"
    )


@pytest.mark.req(6)
def test_login_limit(client):
    """POST /auth/login: 5 attempts per minute, failed ones included"""
    r = login(client, GOOD_LOGIN)
    assert r.status_code == 200, f"POST /auth/login with alice's right password should answer 200, got {r.status_code}"
    for i in range(4):
        r = login(client, BAD_LOGIN)
        assert r.status_code == 401, (
            f"login attempt {i + 2} with a wrong password should answer 401 (within the 5 per minute), got {r.status_code}"
        )
    r = login(client, GOOD_LOGIN)
    with about(hint='Decorate the login view with `@limiter.limit("5 per minute")`.', blame="app.py:login"):
        assert r.status_code == 429, (
            f"a sixth POST /auth/login within the minute should answer 429 even with the right password, "
            f"got {r.status_code}: the login limit of 5 per minute is missing"
        )
    r = login(client, GOOD_LOGIN, addr="10.0.0.2")
    assert r.status_code == 200, (
        f"POST /auth/login from another address should still answer 200, got {r.status_code}: the login budget is per client"
    )


@pytest.mark.req(6)
@pytest.mark.app_config(**SMALL)
def test_login_limit_instead_of_default(client):
    """The login's own limit replaces the default one"""
    for i in range(5):
        r = login(client, BAD_LOGIN)
        assert r.status_code == 401, (
            f"login attempt {i + 1} should answer 401 with RATELIMIT_DEFAULT = '2 per minute': the login has its own limit "
            f"of 5 per minute instead of the default one, got {r.status_code}"
        )
    r = login(client, BAD_LOGIN)
    assert r.status_code == 429, f"the sixth login attempt within the minute should answer 429, got {r.status_code}"


@pytest.mark.req(7)
@pytest.mark.app_config(**SMALL)
def test_health_exempt(client):
    """GET /health is never limited and does not count"""
    for i in range(8):
        r = get(client, "/health")
        with about(hint="Mark the health view with `@limiter.exempt`.", blame="app.py:health"):
            assert r.status_code == 200, (
                f"GET /health number {i + 1} should answer 200 (health checks are never limited), got {r.status_code}"
            )
    r = get(client, "/api/items")
    assert r.status_code == 200, (
        f"GET /api/items should answer 200 after 8 health checks (they must not count against the budget), got {r.status_code}"
    )
    get(client, "/api/items")
    r = get(client, "/api/items")
    assert r.status_code == 429, (
        f"the third GET /api/items (after 8 health checks) should answer 429 with RATELIMIT_DEFAULT = '2 per minute', "
        f"got {r.status_code}: the default limit is not applied"
    )
    r = get(client, "/health")
    assert r.status_code == 200, f"GET /health should answer 200 even when the client is limited elsewhere, got {r.status_code}"


@pytest.mark.req(8)
@pytest.mark.app_config(**SMALL)
def test_429_answer(client):
    """A 429 is JSON with a Retry-After in seconds"""
    r = use_up(client, "/api/items")
    body = r.get_json(silent=True)
    assert isinstance(body, dict) and body.get("error") == "too_many_requests" and isinstance(body.get("message"), str), (
        f'a 429 should answer JSON {{"error": "too_many_requests", "message": <str>}}, got {r.get_data(as_text=True)[:200]!r}'
    )
    value = r.headers.get("Retry-After")
    with about(hint="Flask-Limiter adds Retry-After (and X-RateLimit-*) with `headers_enabled=True` "
                    "(or RATELIMIT_HEADERS_ENABLED = True).", blame="security.py"):
        assert value is not None, "a 429 answer should carry a Retry-After header (seconds until the client may retry), got none"
    assert value.strip().isdigit() and 1 <= int(value) <= 60, (
        f"Retry-After should be a whole number of seconds between 1 and 60 for a 'per minute' limit, got {value!r}"
    )
    r = login(client, BAD_LOGIN, "10.0.0.8")
    for _ in range(5):
        r = login(client, BAD_LOGIN, "10.0.0.8")
    assert r.status_code == 429, f"the sixth login attempt should answer 429, got {r.status_code}"
    value = r.headers.get("Retry-After", "")
    assert value.strip().isdigit() and 1 <= int(value) <= 60, (
        f"the login's 429 should carry Retry-After: a whole number of seconds between 1 and 60, got {value!r}"
    )
