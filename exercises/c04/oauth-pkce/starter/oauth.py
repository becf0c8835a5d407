"""The OAuth 2.0 endpoints: authorization code flow with PKCE (S256). See README.md.

TODO:
- GET /oauth/authorize: check the user, the client, the exact redirect_uri, the S256 challenge;
  store a one-use code (its hash) and redirect to redirect_uri?code=...&state=...
- POST /oauth/token: exchange a code once, with the same client and redirect_uri, and the
  code_verifier whose BASE64URL(SHA256(verifier)) is the stored challenge.
- GET /api/me: the user of a valid Bearer access token.
"""
from flask import Blueprint

bp = Blueprint("oauth", __name__)


@bp.get("/oauth/authorize")
def authorize():
    return {"error": "not_implemented"}, 501


@bp.post("/oauth/token")
def token():
    return {"error": "not_implemented"}, 501


@bp.get("/api/me")
def me():
    return {"error": "not_implemented"}, 501
