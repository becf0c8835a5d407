"""The OAuth 2.0 endpoints: the authorization code flow with PKCE (RFC 6749, RFC 7636), for
registered public clients, S256 only.

Codes and tokens are random (secrets), stored as SHA-256 hashes, and short-lived; a code is
deleted by the exchange that uses it, so it works once.
"""
import base64
import hashlib
import hmac
import re
import secrets
import time
from urllib.parse import urlencode

from flask import Blueprint, current_app, jsonify, redirect, request, session
from sqlalchemy import delete

from models import AccessToken, AuthorizationCode, User, db, sha256_hex

bp = Blueprint("oauth", __name__)

# RFC 7636 section 4.1/4.2: 43-128 characters of the unreserved set.
PKCE_VALUE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


def s256(verifier):
    """BASE64URL(SHA256(ASCII(verifier))) without '=' padding (RFC 7636 section 4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def oauth_error(error, status=400, description=None, headers=None):
    body = {"error": error}
    if description:
        body["error_description"] = description
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def redirect_error(redirect_uri, error, state, description):
    """An error the client must hear about: back to its (verified) redirect URI."""
    params = {"error": error, "error_description": description}
    if state is not None:
        params["state"] = state
    return redirect(f"{redirect_uri}?{urlencode(params)}", code=302)


def registered_client(client_id):
    if not client_id:
        return None
    return current_app.config["OAUTH_CLIENTS"].get(client_id)


@bp.get("/oauth/authorize")
def authorize():
    user_id = session.get("user_id")
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None:
        return oauth_error("login_required", 401, "log in first, then retry this request")

    args = request.args
    client = registered_client(args.get("client_id"))
    if client is None:
        return oauth_error("invalid_client", 400, "unknown client_id")
    redirect_uri = args.get("redirect_uri")
    # Exact string comparison: no prefix, no "same host", no normalisation. Anything looser lets
    # an attacker receive the code at a URI of their own.
    if redirect_uri not in client["redirect_uris"]:
        return oauth_error("invalid_request", 400, "redirect_uri is missing or not registered for this client")

    state = args.get("state")
    if args.get("response_type") != "code":
        return redirect_error(redirect_uri, "unsupported_response_type", state, "response_type must be code")
    challenge = args.get("code_challenge", "")
    if args.get("code_challenge_method") != "S256":
        return redirect_error(redirect_uri, "invalid_request", state, "code_challenge_method must be S256")
    if not PKCE_VALUE.match(challenge):
        return redirect_error(redirect_uri, "invalid_request", state, "code_challenge is missing or malformed")

    code = secrets.token_urlsafe(32)
    db.session.add(AuthorizationCode(
        code_hash=sha256_hex(code),
        client_id=args["client_id"],
        user_id=user.id,
        redirect_uri=redirect_uri,
        code_challenge=challenge,
        code_challenge_method="S256",
        expires_at=time.time() + current_app.config["OAUTH_CODE_LIFETIME"],
    ))
    db.session.commit()
    params = {"code": code}
    if state is not None:
        params["state"] = state
    return redirect(f"{redirect_uri}?{urlencode(params)}", code=302)


@bp.post("/oauth/token")
def token():
    form = request.form
    if form.get("grant_type") != "authorization_code":
        return oauth_error("unsupported_grant_type", 400, "grant_type must be authorization_code")
    client_id = form.get("client_id")
    if registered_client(client_id) is None:
        return oauth_error("invalid_client", 401, "unknown client_id")
    code = form.get("code")
    if not code:
        return oauth_error("invalid_request", 400, "code is required")

    code_hash = sha256_hex(code)
    grant = db.session.get(AuthorizationCode, code_hash)
    # One answer for "unknown", "used", "expired" and "someone else's": invalid_grant.
    if grant is None or grant.client_id != client_id or grant.expires_at <= time.time():
        return oauth_error("invalid_grant", 400, "the code is invalid, expired, used or issued to another client")

    verifier = form.get("code_verifier")
    if not verifier:
        return oauth_error("invalid_request", 400, "code_verifier is required")
    if not PKCE_VALUE.match(verifier):
        return oauth_error("invalid_request", 400, "code_verifier is malformed")
    if not hmac.compare_digest(s256(verifier), grant.code_challenge):
        return oauth_error("invalid_grant", 400, "code_verifier does not match the code_challenge")

    # Consume the code: only the request whose DELETE removed the row may get a token, so two
    # concurrent exchanges of one code cannot both succeed.
    consumed = db.session.execute(delete(AuthorizationCode).where(AuthorizationCode.code_hash == code_hash))
    if consumed.rowcount != 1:
        db.session.rollback()
        return oauth_error("invalid_grant", 400, "the code was already used")

    access_token = secrets.token_urlsafe(32)
    lifetime = int(current_app.config["OAUTH_TOKEN_LIFETIME"])
    db.session.add(AccessToken(
        token_hash=sha256_hex(access_token),
        client_id=client_id,
        user_id=grant.user_id,
        expires_at=time.time() + lifetime,
    ))
    db.session.commit()
    response = jsonify(access_token=access_token, token_type="Bearer", expires_in=lifetime)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


@bp.get("/api/me")
def me():
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
    if scheme.lower() != "bearer" or not value.strip():
        return oauth_error("invalid_token", 401, "send Authorization: Bearer <access token>",
                           {"WWW-Authenticate": "Bearer"})
    token = db.session.get(AccessToken, sha256_hex(value.strip()))
    if token is None or token.expires_at <= time.time():
        return oauth_error("invalid_token", 401, "the access token is unknown or expired", challenge)
    user = db.session.get(User, token.user_id)
    return {"username": user.username, "client_id": token.client_id}
