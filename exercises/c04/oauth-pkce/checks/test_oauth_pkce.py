"""Checks for c04-oauth-pkce: an OAuth 2.0 authorization server (authorization code + PKCE S256).
Each check names the brief's numbered requirements it covers (@pytest.mark.req).
The checks play the client: they make a code_verifier and its S256 challenge, follow nothing
(redirects are read from the Location header) and exchange codes at /oauth/token."""
import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest

from flask_tutor_pytest.helpers import about

SPA, SPA_URI, SPA_URI2 = "tasks-spa", "https://spa.example.com/callback", "http://127.0.0.1:5173/callback"
CLI, CLI_URI = "tasks-cli", "http://127.0.0.1:8765/callback"
PASSWORD = "correct horse battery"


def use_https(test_client):
    """An authorization server is only ever reached over TLS (RFC 6749 section 3.1): every request
    of this test client goes to https://localhost."""
    plain_open = test_client.open

    def https_open(*args, **kwargs):
        kwargs.setdefault("base_url", "https://localhost")
        return plain_open(*args, **kwargs)

    test_client.open = https_open
    return test_client


@pytest.fixture(autouse=True)
def over_https(client):
    return use_https(client)


def s256(verifier):
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    return verifier, s256(verifier)


def log_in(client, username="alice"):
    client.post("/auth/register", json={"username": username, "password": PASSWORD})
    r = client.post("/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, f"POST /auth/login (given by the starter) should answer 200, got {r.status_code}"


def authorize(client, **params):
    query = {"response_type": "code", "client_id": SPA, "redirect_uri": SPA_URI, "state": "st-" + secrets.token_hex(4),
             "code_challenge_method": "S256"}
    query.update(params)
    query = {k: v for k, v in query.items() if v is not None}
    return client.get("/oauth/authorize", query_string=query), query


def describe(query):
    return "GET /oauth/authorize?" + "&".join(f"{k}={v}" for k, v in query.items())


def redirect_params(response, query):
    """The redirect's target (without query) and its query parameters."""
    location = response.headers.get("Location")
    assert response.status_code == 302 and location, (
        f"{describe(query)} should answer 302 with a Location header, got {response.status_code} "
        f"{response.get_data(as_text=True)[:200]!r}"
    )
    parts = urlsplit(location)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", {k: v[0] for k, v in parse_qs(parts.query).items()}


def get_code(client, challenge, client_id=SPA, redirect_uri=SPA_URI):
    r, query = authorize(client, client_id=client_id, redirect_uri=redirect_uri, code_challenge=challenge)
    target, params = redirect_params(r, query)
    assert target == redirect_uri and params.get("code"), (
        f"{describe(query)} should redirect to {redirect_uri}?code=...&state=..., got Location {r.headers.get('Location')!r}"
    )
    return params["code"]


def exchange(client, code, verifier, **fields):
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": SPA_URI, "client_id": SPA,
            "code_verifier": verifier}
    form.update(fields)
    form = {k: v for k, v in form.items() if v is not None}
    return client.post("/oauth/token", data=form), form


def expect_oauth_error(response, status, error, what):
    """status: one status code, or a tuple of the accepted ones."""
    statuses = status if isinstance(status, tuple) else (status,)
    body = response.get_json(silent=True)
    got = body.get("error") if isinstance(body, dict) else None
    assert response.status_code in statuses and got == error, (
        f"{what} should answer {' or '.join(map(str, statuses))} {{\"error\": \"{error}\"}}, got {response.status_code} "
        f"{response.get_data(as_text=True)[:200]!r}"
    )


def token_for(client, username="alice"):
    log_in(client, username)
    verifier, challenge = pkce_pair()
    code = get_code(client, challenge)
    r, _ = exchange(client, code, verifier)
    assert r.status_code == 200, f"a valid exchange at POST /oauth/token should answer 200, got {r.status_code} {r.get_data(as_text=True)[:200]!r}"
    return r.get_json()["access_token"]


@pytest.mark.req(1)
def test_authorize_needs_login(client):
    """No logged-in user: 401 login_required, no code"""
    verifier, challenge = pkce_pair()
    r, query = authorize(client, code_challenge=challenge)
    assert "code=" not in (r.headers.get("Location") or ""), (
        f"{describe(query)} without a logged-in user must not issue a code, got Location {r.headers.get('Location')!r}"
    )
    expect_oauth_error(r, 401, "login_required", f"{describe(query)} without a logged-in user")


@pytest.mark.req(2)
def test_authorize_redirects_with_code_and_state(client):
    """302 to the redirect_uri with a fresh code and the same state"""
    log_in(client)
    for client_id, uri in ((SPA, SPA_URI), (SPA, SPA_URI2), (CLI, CLI_URI)):
        verifier, challenge = pkce_pair()
        r, query = authorize(client, client_id=client_id, redirect_uri=uri, code_challenge=challenge)
        target, params = redirect_params(r, query)
        assert target == uri, f"{describe(query)} should redirect to {uri}, got Location {r.headers.get('Location')!r}"
        assert params.get("code"), f"{describe(query)} should redirect with a code parameter, got {r.headers.get('Location')!r}"
        assert len(params["code"]) >= 20, (
            f"the code should be long and random (20 characters or more, e.g. secrets.token_urlsafe(32)), got {params['code']!r}"
        )
        with about(hint="Copy the request's `state` into the redirect: the client compares it with the one it sent "
                        "to know the answer belongs to its own request (CSRF).", blame="oauth.py:authorize"):
            assert params.get("state") == query["state"], (
                f"{describe(query)} should redirect with state={query['state']} unchanged, got {r.headers.get('Location')!r}"
            )
    codes = {get_code(client, pkce_pair()[1]) for _ in range(3)}
    assert len(codes) == 3, f"three authorization requests should get three different codes, got {codes}"


@pytest.mark.req(3)
def test_authorize_untrusted_client_or_redirect_uri(client):
    """Unknown client or a redirect_uri that is not exactly registered: 400, never a redirect"""
    log_in(client)
    verifier, challenge = pkce_pair()
    cases = [
        ({"client_id": "evil-app"}, "an unknown client_id"),
        ({"client_id": None}, "no client_id"),
        ({"redirect_uri": None}, "no redirect_uri"),
        ({"redirect_uri": "https://evil.example.com/callback"}, "a redirect_uri of another site"),
        ({"redirect_uri": SPA_URI + "/evil"}, "a redirect_uri that only starts with a registered one"),
        ({"redirect_uri": SPA_URI + "x"}, "a redirect_uri that only starts with a registered one"),
        ({"redirect_uri": SPA_URI + "?next=https://evil.example.com"}, "a registered redirect_uri with an added query"),
        ({"redirect_uri": "https://spa.example.com.evil.example.com/callback"}, "a redirect_uri on a look-alike host"),
        ({"redirect_uri": CLI_URI}, "a redirect_uri registered for another client"),
    ]
    for params, what in cases:
        r, query = authorize(client, code_challenge=challenge, **params)
        with about(hint="Compare `redirect_uri` with `in client[\"redirect_uris\"]` (exact strings), before anything "
                        "is redirected.", blame="oauth.py:authorize"):
            assert r.status_code == 400 and "Location" not in r.headers, (
                f"{describe(query)} ({what}) should answer 400 without redirecting, got {r.status_code} "
                f"Location {r.headers.get('Location')!r}: the redirect_uri must match a registered one exactly"
            )
        body = r.get_json(silent=True)
        assert isinstance(body, dict) and isinstance(body.get("error"), str), (
            f"{describe(query)} ({what}) should answer a JSON OAuth error {{\"error\": ...}}, got {r.get_data(as_text=True)[:200]!r}"
        )


@pytest.mark.req(4)
def test_authorize_requires_s256_challenge(client):
    """PKCE is required, S256 only: an error redirect with invalid_request"""
    log_in(client)
    verifier, challenge = pkce_pair()
    cases = [
        ({"code_challenge": None, "code_challenge_method": None}, "no PKCE at all"),
        ({"code_challenge": None}, "no code_challenge"),
        ({"code_challenge": challenge, "code_challenge_method": "plain"}, "code_challenge_method=plain"),
        ({"code_challenge": challenge, "code_challenge_method": None}, "no code_challenge_method (it would mean plain)"),
        ({"code_challenge": challenge[:42]}, "a 42-character code_challenge"),
        ({"code_challenge": base64.b64encode(hashlib.sha256(b"x").digest()).decode()}, "a code_challenge in standard base64 with '=' padding"),
    ]
    for params, what in cases:
        r, query = authorize(client, **params)
        target, got = redirect_params(r, query)
        with about(hint="Public clients must use PKCE: refuse a request without `code_challenge`, or with a "
                        "`code_challenge_method` other than `S256`.", blame="oauth.py:authorize"):
            assert "code" not in got, (
                f"{describe(query)} ({what}) must not issue a code: PKCE with S256 is required, got {r.headers.get('Location')!r}"
            )
        assert target == SPA_URI and got.get("error") == "invalid_request", (
            f"{describe(query)} ({what}) should redirect to {SPA_URI}?error=invalid_request&state=..., got {r.headers.get('Location')!r}"
        )
        assert got.get("state") == query["state"], (
            f"the error redirect should carry state={query['state']}, got {r.headers.get('Location')!r}"
        )
    r, query = authorize(client, response_type="token", code_challenge=challenge)
    location = r.headers.get("Location") or ""
    assert r.status_code in (302, 400) and "code" not in parse_qs(urlsplit(location).query), (
        f"{describe(query)} should get no code (an error redirect or a 400), got {r.status_code} Location {location!r}"
    )


@pytest.mark.req(5)
def test_token_exchange(client):
    """A valid exchange answers the access token, not cacheable"""
    log_in(client)
    verifier, challenge = pkce_pair()
    code = get_code(client, challenge)
    r, form = exchange(client, code, verifier)
    body = r.get_json(silent=True)
    assert r.status_code == 200 and isinstance(body, dict), (
        f"POST /oauth/token with {form} should answer 200 with JSON, got {r.status_code} {r.get_data(as_text=True)[:300]!r}"
    )
    assert isinstance(body.get("access_token"), str) and body["access_token"], f"the token answer should hold an access_token string, got {body}"
    assert body.get("token_type") == "Bearer", f'the token answer should hold "token_type": "Bearer", got {body.get("token_type")!r}'
    assert body.get("expires_in") == 3600, f"expires_in should be OAUTH_TOKEN_LIFETIME (3600), got {body.get('expires_in')!r}"
    assert "no-store" in r.headers.get("Cache-Control", ""), (
        f"the token answer should carry Cache-Control: no-store (tokens must not be cached), got {r.headers.get('Cache-Control')!r}"
    )
    r, form = exchange(client, get_code(client, challenge), verifier, grant_type="password")
    expect_oauth_error(r, 400, "unsupported_grant_type", "POST /oauth/token with grant_type=password")
    r, form = exchange(client, get_code(client, challenge), verifier, client_id="evil-app")
    expect_oauth_error(r, (400, 401), "invalid_client", "POST /oauth/token with the unregistered client_id evil-app")


@pytest.mark.req(5)
@pytest.mark.app_config(OAUTH_TOKEN_LIFETIME=120)
def test_token_lifetime_from_config(client):
    """expires_in is OAUTH_TOKEN_LIFETIME"""
    log_in(client)
    verifier, challenge = pkce_pair()
    r, form = exchange(client, get_code(client, challenge), verifier)
    assert r.status_code == 200 and r.get_json().get("expires_in") == 120, (
        f"with OAUTH_TOKEN_LIFETIME = 120 the token answer should hold expires_in 120, got {r.status_code} {r.get_data(as_text=True)[:200]!r}"
    )


@pytest.mark.req(6)
def test_token_checks_the_verifier(client):
    """Missing verifier: invalid_request; wrong one (or the challenge itself): invalid_grant"""
    log_in(client)
    verifier, challenge = pkce_pair()
    r, _ = exchange(client, get_code(client, challenge), None)
    expect_oauth_error(r, 400, "invalid_request", "POST /oauth/token without code_verifier")
    r, _ = exchange(client, get_code(client, challenge), pkce_pair()[0])
    with about(hint="Compare `BASE64URL(SHA256(code_verifier))` without '=' padding with the stored challenge: "
                    "`base64.urlsafe_b64encode(hashlib.sha256(v.encode()).digest()).rstrip(b'=').decode()`.",
               blame="oauth.py:token"):
        expect_oauth_error(r, 400, "invalid_grant", "POST /oauth/token with the code_verifier of another challenge")
    r, _ = exchange(client, get_code(client, challenge), challenge)
    expect_oauth_error(
        r, 400, "invalid_grant",
        "POST /oauth/token with the code_challenge itself as code_verifier (a plain comparison: whoever saw the "
        "authorization request, and so the challenge, would get the token)",
    )


@pytest.mark.req(7)
def test_code_works_once(client):
    """A second exchange of the same code: invalid_grant"""
    log_in(client)
    verifier, challenge = pkce_pair()
    code = get_code(client, challenge)
    r, _ = exchange(client, code, verifier)
    assert r.status_code == 200, f"the first exchange of a code should answer 200, got {r.status_code} {r.get_data(as_text=True)[:200]!r}"
    r, _ = exchange(client, code, verifier)
    with about(hint="Delete the code (or mark it used) in the same transaction that issues the token.",
               blame="oauth.py:token"):
        expect_oauth_error(r, 400, "invalid_grant", "a second exchange of the same code (a code works once)")


@pytest.mark.req(8)
def test_code_bound_to_redirect_uri_and_client(client):
    """Another redirect_uri or another client: invalid_grant"""
    log_in(client)
    verifier, challenge = pkce_pair()
    r, _ = exchange(client, get_code(client, challenge), verifier, redirect_uri=SPA_URI2)
    expect_oauth_error(r, 400, "invalid_grant",
                       f"POST /oauth/token with redirect_uri={SPA_URI2} for a code requested with {SPA_URI}")
    r, _ = exchange(client, get_code(client, challenge), verifier, client_id=CLI, redirect_uri=SPA_URI)
    expect_oauth_error(r, 400, "invalid_grant", f"POST /oauth/token with client_id={CLI} for a code issued to {SPA}")


@pytest.mark.req(9)
@pytest.mark.app_config(OAUTH_CODE_LIFETIME=-1)
def test_code_expires(client):
    """An expired code: invalid_grant"""
    log_in(client)
    verifier, challenge = pkce_pair()
    r, _ = exchange(client, get_code(client, challenge), verifier)
    with about(hint="Store `expires_at = time.time() + OAUTH_CODE_LIFETIME` with the code and refuse it once passed.",
               blame="oauth.py:token"):
        expect_oauth_error(r, 400, "invalid_grant", "POST /oauth/token with a code older than OAUTH_CODE_LIFETIME (-1 s)")


@pytest.mark.req(10)
def test_access_token_works(client, app):
    """The token says who authorized; no token or an unknown one: 401"""
    alice = token_for(client, "alice")
    other = use_https(app.test_client())
    bob = token_for(other, "bob")
    for token, name in ((alice, "alice"), (bob, "bob")):
        r = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
        body = r.get_json(silent=True)
        assert r.status_code == 200 and isinstance(body, dict) and body.get("username") == name, (
            f"GET /api/me with {name}'s access token should answer 200 {{\"username\": \"{name}\", ...}}, "
            f"got {r.status_code} {r.get_data(as_text=True)[:200]!r}"
        )
    for headers, what in (({}, "no Authorization header"), ({"Authorization": "Bearer " + secrets.token_urlsafe(32)}, "an unknown token"),
                          ({"Authorization": f"Basic {alice}"}, "another scheme")):
        r = client.get("/api/me", headers=headers)
        body = r.get_json(silent=True)
        assert r.status_code == 401 and isinstance(body, dict) and isinstance(body.get("error"), str), (
            f"GET /api/me with {what} should answer 401 with a JSON OAuth error, got {r.status_code} {r.get_data(as_text=True)[:200]!r}"
        )


@pytest.mark.req(10)
@pytest.mark.app_config(OAUTH_TOKEN_LIFETIME=-1)
def test_access_token_expires(client):
    """An expired access token: 401"""
    token = token_for(client)
    r = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401, (
        f"GET /api/me with an access token older than OAUTH_TOKEN_LIFETIME (-1 s) should answer 401, got {r.status_code}"
    )
