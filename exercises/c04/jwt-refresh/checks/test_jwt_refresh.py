"""Checks for c04-jwt-refresh: access and refresh tokens, rotation, reuse detection, logout, revocation in the database.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import base64
import json
from datetime import timedelta

import jwt
import pytest

from flask_tutor_pytest.helpers import about

PASSWORD = "correct horse"
PAIR_KEYS = {"access_token", "refresh_token", "token_type", "expires_in"}


def _text(response):
    return response.get_data(as_text=True)[:200]


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def _register(client, username="alice"):
    response = client.post("/auth/register", json={"username": username, "password": PASSWORD})
    assert response.status_code == 201, f"POST /auth/register for {username!r} should answer 201 (the starter's route), got {response.status_code}: {_text(response)}"
    return response.get_json()


def _pair(response, what):
    with about(hint="Answer `jsonify(access_token=..., refresh_token=..., token_type=\"Bearer\", expires_in=...)`."):
        assert response.status_code == 200, f"{what} should answer 200 with a token pair, got {response.status_code}: {_text(response)}"
        body = response.get_json(silent=True)
        assert isinstance(body, dict) and set(body) == PAIR_KEYS, f"{what} should answer exactly {sorted(PAIR_KEYS)}, got {_text(response)}"
    assert isinstance(body["access_token"], str) and isinstance(body["refresh_token"], str), f"{what}: both tokens should be strings, got {body}"
    assert body["token_type"] == "Bearer", f"{what}: token_type should be \"Bearer\", got {body['token_type']!r}"
    assert isinstance(body["expires_in"], int) and not isinstance(body["expires_in"], bool), f"{what}: expires_in should be an integer, got {body['expires_in']!r}"
    return body


def _login(client, username="alice"):
    return _pair(client.post("/auth/login", json={"username": username, "password": PASSWORD}), f"POST /auth/login for {username!r}")


def _refresh(client, refresh_token, what="POST /auth/refresh with a fresh refresh token"):
    return _pair(client.post("/auth/refresh", headers=_bearer(refresh_token)), what)


def _me_ok(client, access_token, user, what):
    response = client.get("/me", headers=_bearer(access_token))
    assert response.status_code == 200, f"GET /me with {what} should answer 200, got {response.status_code}: {_text(response)}"
    assert response.get_json(silent=True) == user, f"GET /me with {what} should answer the user {user}, got {_text(response)}"


def _unauthorized(response, what):
    assert response.status_code == 401, f"{what} should answer 401, got {response.status_code}: {_text(response)}"
    body = response.get_json(silent=True)
    with about(hint="Answer every refusal with `jsonify(error=\"...\")` and the status 401 (an error handler keeps them alike)."):
        assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"], (
            f"the 401 of {what} should be a JSON object with a string error, got {_text(response)!r}"
        )


def _claims(token):
    try:
        return jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError as e:
        raise AssertionError(f"the token should be a JWT (header.payload.signature), but it does not decode: {e}") from None


def _b64(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _forgeries(token, other_user_id):
    """Tokens made from a real one: re-signed with another key, payload changed, alg none."""
    claims = _claims(token)
    header, _, signature = token.split(".")
    changed = dict(claims, sub=str(other_user_id))
    return {
        "a token signed with another key": jwt.encode(claims, "another-key-another-key-another-key!", algorithm="HS256"),
        "a token whose payload was changed (sub of another user)": f"{header}.{_b64(changed)}.{signature}",
        'a token with "alg": "none" and no signature': f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}.",
    }


@pytest.mark.req(1, 9)
def test_login(client):
    """Login answers the pair; a wrong password or an unknown user answers 401 with an error"""
    _register(client, "alice")
    body = _login(client, "alice")
    assert body["access_token"] != body["refresh_token"], "the access token and the refresh token should be two different tokens"
    _unauthorized(client.post("/auth/login", json={"username": "alice", "password": "wrong password"}), "POST /auth/login with a wrong password")
    _unauthorized(client.post("/auth/login", json={"username": "nobody", "password": PASSWORD}), "POST /auth/login with an unknown username")


@pytest.mark.req(2)
def test_claims_and_default_lifetimes(client):
    """Both tokens are HS256 JWTs with sub, iat, exp, jti; 15 minutes and 30 days by default"""
    user = _register(client, "alice")
    body = _login(client, "alice")
    claims = {}
    for kind in ("access", "refresh"):
        token = body[f"{kind}_token"]
        header = jwt.get_unverified_header(token)
        assert header.get("alg") == "HS256", f"the {kind} token should be signed with HS256, its header says {header}"
        claims[kind] = c = _claims(token)
        for name in ("sub", "iat", "exp", "jti"):
            assert name in c, f"the {kind} token should hold the claim {name!r}, it holds {sorted(c)}"
        assert c["sub"] == str(user["id"]), f"the {kind} token's sub should be the user's id as a string ({str(user['id'])!r}), got {c['sub']!r}"
        assert isinstance(c["jti"], str) and c["jti"], f"the {kind} token's jti should be a non-empty string, got {c['jti']!r}"
    assert claims["access"]["jti"] != claims["refresh"]["jti"], "every token needs its own jti: the access and refresh tokens share one"
    with about(hint="Read the lifetimes from `current_app.config[\"JWT_ACCESS_TOKEN_EXPIRES\"]` and `[\"JWT_REFRESH_TOKEN_EXPIRES\"]` when making each token."):
        assert claims["access"]["exp"] - claims["access"]["iat"] == 900, f"by default the access token should live 15 minutes: exp - iat = 900, got {claims['access']['exp'] - claims['access']['iat']}"
        assert claims["refresh"]["exp"] - claims["refresh"]["iat"] == 30 * 86400, f"by default the refresh token should live 30 days: exp - iat = 2592000, got {claims['refresh']['exp'] - claims['refresh']['iat']}"
        assert body["expires_in"] == 900, f"expires_in should be the access token's lifetime, 900 by default, got {body['expires_in']}"


@pytest.mark.req(2)
@pytest.mark.app_config(JWT_ACCESS_TOKEN_EXPIRES=timedelta(seconds=120), JWT_REFRESH_TOKEN_EXPIRES=timedelta(hours=2))
def test_lifetimes_from_config(client):
    """Lifetimes come from JWT_ACCESS_TOKEN_EXPIRES and JWT_REFRESH_TOKEN_EXPIRES"""
    _register(client, "alice")
    body = _login(client, "alice")
    access, refresh = _claims(body["access_token"]), _claims(body["refresh_token"])
    with about(hint="Read the lifetimes from `current_app.config[...]` each time a token is made, not from a constant.", blame="auth.py"):
        assert access["exp"] - access["iat"] == 120, f"with JWT_ACCESS_TOKEN_EXPIRES = 120 s the access token's exp - iat should be 120, got {access['exp'] - access['iat']}"
        assert refresh["exp"] - refresh["iat"] == 7200, f"with JWT_REFRESH_TOKEN_EXPIRES = 2 hours the refresh token's exp - iat should be 7200, got {refresh['exp'] - refresh['iat']}"
        assert body["expires_in"] == 120, f"with JWT_ACCESS_TOKEN_EXPIRES = 120 s expires_in should be 120, got {body['expires_in']}"


@pytest.mark.req(3, 9)
def test_me_needs_a_valid_access_token(client):
    """GET /me answers the user for an access token; 401 for no, malformed, forged or refresh tokens"""
    alice = _register(client, "alice")
    bob = _register(client, "bob")
    body = _login(client, "alice")
    _me_ok(client, body["access_token"], alice, "alice's access token")
    _unauthorized(client.get("/me"), "GET /me without an Authorization header")
    _unauthorized(client.get("/me", headers={"Authorization": "Basic YWxpY2U6eA=="}), "GET /me with Authorization: Basic")
    _unauthorized(client.get("/me", headers=_bearer("not-a-jwt")), "GET /me with a malformed token")
    for label, token in _forgeries(body["access_token"], bob["id"]).items():
        with about(hint="Verify the signature with your secret and only HS256: `jwt.decode(token, key, algorithms=[\"HS256\"])`."):
            _unauthorized(client.get("/me", headers=_bearer(token)), f"GET /me with {label}")
    with about(hint="Put the kind of token in a claim (for example `\"type\": \"access\"`) and refuse other kinds at GET /me."):
        _unauthorized(client.get("/me", headers=_bearer(body["refresh_token"])), "GET /me with a refresh token instead of the access token")


@pytest.mark.req(3, 9)
@pytest.mark.app_config(JWT_ACCESS_TOKEN_EXPIRES=timedelta(seconds=-30))
def test_me_refuses_an_expired_access_token(client):
    """An access token that has expired answers 401"""
    _register(client, "alice")
    body = _login(client, "alice")
    with about(hint="`jwt.decode` raises `jwt.ExpiredSignatureError` for an expired token: answer 401."):
        _unauthorized(client.get("/me", headers=_bearer(body["access_token"])), "GET /me with an access token that expired 30 s ago (JWT_ACCESS_TOKEN_EXPIRES = -30 s)")


@pytest.mark.req(4, 9)
def test_refresh_answers_a_new_pair(client):
    """A refresh token buys a new, different pair; the new access token works; others answer 401"""
    alice = _register(client, "alice")
    first = _login(client, "alice")
    second = _refresh(client, first["refresh_token"])
    assert second["access_token"] != first["access_token"] and second["refresh_token"] != first["refresh_token"], (
        "POST /auth/refresh should answer a new access token and a new refresh token, different from the ones before"
    )
    _me_ok(client, second["access_token"], alice, "the access token answered by POST /auth/refresh")
    _unauthorized(client.post("/auth/refresh"), "POST /auth/refresh without a token")
    _unauthorized(client.post("/auth/refresh", headers=_bearer("not-a-jwt")), "POST /auth/refresh with a malformed token")
    with about(hint="POST /auth/refresh takes refresh tokens only: check the token's kind."):
        _unauthorized(client.post("/auth/refresh", headers=_bearer(second["access_token"])), "POST /auth/refresh with an access token instead of a refresh token")
    _refresh(client, second["refresh_token"], "POST /auth/refresh with the refresh token of the last refresh")


@pytest.mark.req(4, 9)
@pytest.mark.app_config(JWT_REFRESH_TOKEN_EXPIRES=timedelta(seconds=-30))
def test_refresh_refuses_an_expired_refresh_token(client):
    """A refresh token that has expired answers 401"""
    _register(client, "alice")
    body = _login(client, "alice")
    _unauthorized(client.post("/auth/refresh", headers=_bearer(body["refresh_token"])),
                  "POST /auth/refresh with a refresh token that expired 30 s ago (JWT_REFRESH_TOKEN_EXPIRES = -30 s)")


@pytest.mark.req(5, 9)
def test_rotation(client):
    """A refresh token works once: sent again after a refresh, it answers 401"""
    _register(client, "alice")
    first = _login(client, "alice")
    _refresh(client, first["refresh_token"])
    with about(hint="Remember each refresh token (its jti) in the database and mark it used when it is exchanged; refuse a used one."):
        _unauthorized(client.post("/auth/refresh", headers=_bearer(first["refresh_token"])),
                      "POST /auth/refresh with a refresh token that was already exchanged (rotation)")


@pytest.mark.req(6)
def test_reuse_revokes_the_session(client):
    """Reusing a rotated refresh token ends its whole session; other sessions keep working"""
    alice = _register(client, "alice")
    laptop = _login(client, "alice")
    phone = _login(client, "alice")
    newer = _refresh(client, laptop["refresh_token"], "POST /auth/refresh with the laptop session's refresh token")
    _unauthorized(client.post("/auth/refresh", headers=_bearer(laptop["refresh_token"])),
                  "POST /auth/refresh with the laptop session's old refresh token (reused)")
    with about(hint="On reuse, revoke the login session (every token carries its id, e.g. a claim \"sid\") in the database, and check it on every request."):
        _unauthorized(client.post("/auth/refresh", headers=_bearer(newer["refresh_token"])),
                      "after a reused refresh token, POST /auth/refresh with the newer refresh token of the same session (reuse detection revokes the session)")
        _unauthorized(client.get("/me", headers=_bearer(newer["access_token"])),
                      "after a reused refresh token, GET /me with the newer access token of the same session (reuse detection revokes the session)")
    _me_ok(client, phone["access_token"], alice, "the access token of alice's other session (it should keep working)")
    _refresh(client, phone["refresh_token"], "POST /auth/refresh with the refresh token of alice's other session (it should keep working)")


@pytest.mark.req(7, 9)
def test_logout(client):
    """Logout answers 204 and ends the session's access and refresh tokens; other sessions keep working"""
    alice = _register(client, "alice")
    laptop = _login(client, "alice")
    phone = _login(client, "alice")
    _unauthorized(client.post("/auth/logout"), "POST /auth/logout without a token")
    _unauthorized(client.post("/auth/logout", headers=_bearer(laptop["refresh_token"])), "POST /auth/logout with a refresh token instead of the access token")
    response = client.post("/auth/logout", headers=_bearer(laptop["access_token"]))
    assert response.status_code == 204, f"POST /auth/logout with a valid access token should answer 204, got {response.status_code}: {_text(response)}"
    with about(hint="Logout revokes the login session in the database; every request checks that the token's session is not revoked."):
        _unauthorized(client.get("/me", headers=_bearer(laptop["access_token"])), "GET /me with the access token of a session that logged out")
        _unauthorized(client.post("/auth/refresh", headers=_bearer(laptop["refresh_token"])), "POST /auth/refresh with the refresh token of a session that logged out")
    _me_ok(client, phone["access_token"], alice, "the access token of alice's other session (it should keep working after the laptop logged out)")
    _refresh(client, phone["refresh_token"], "POST /auth/refresh with the refresh token of alice's other session")


def _snapshot(db_inspect):
    return {table: sorted(map(repr, db_inspect.rows(table))) for table in db_inspect.tables()}


@pytest.mark.req(8)
def test_revocation_is_stored_in_the_database(client, db_inspect):
    """Logging out changes the database (not a Python set)"""
    _register(client, "alice")
    body = _login(client, "alice")
    before = _snapshot(db_inspect)
    response = client.post("/auth/logout", headers=_bearer(body["access_token"]))
    assert response.status_code == 204, f"POST /auth/logout should answer 204, got {response.status_code}: {_text(response)}"
    with about(hint="Store the revocation in a table (a revoked session, or a blocklist row of the token's jti) and commit; a module-level set is lost on restart and unseen by other workers."):
        assert _snapshot(db_inspect) != before, (
            "POST /auth/logout changed no row of the database: the revocation seems kept in memory (a Python set or dict), which other worker processes never see"
        )
    _unauthorized(client.get("/me", headers=_bearer(body["access_token"])), "GET /me after logout")
