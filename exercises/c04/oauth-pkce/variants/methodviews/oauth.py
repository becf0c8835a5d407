"""OAuth 2.0 authorization code + PKCE (S256) as MethodViews; errors are raised as OAuthError and
answered by one error handler; Model.query lookups."""
import base64
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, jsonify, redirect, request, session
from flask.views import MethodView

from models import AccessToken, AuthorizationCode, User, db, sha256_hex

bp = Blueprint("oauth", __name__)
UNRESERVED_43_128 = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


@dataclass
class OAuthError(Exception):
    error: str
    description: str
    status: int = 400
    redirect_uri: Optional[str] = None  # set once the redirect URI is known to be registered
    state: Optional[str] = None
    headers: dict = field(default_factory=dict)


@bp.errorhandler(OAuthError)
def answer_oauth_error(e):
    if e.redirect_uri:
        params = {"error": e.error, "error_description": e.description}
        if e.state is not None:
            params["state"] = e.state
        return redirect(e.redirect_uri + "?" + urlencode(params))
    response = jsonify(error=e.error, error_description=e.description)
    response.status_code = e.status
    response.headers["Cache-Control"] = "no-store"
    response.headers.update(e.headers)
    return response


class PKCE:
    """RFC 7636 with the S256 method only."""

    @staticmethod
    def well_formed(value):
        return bool(value) and UNRESERVED_43_128.fullmatch(value) is not None

    @staticmethod
    def challenge_of(verifier):
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")

    @classmethod
    def verify(cls, verifier, challenge):
        return hmac.compare_digest(cls.challenge_of(verifier), challenge)


def clients():
    return current_app.config["OAUTH_CLIENTS"]


class AuthorizeView(MethodView):
    def get(self):
        user = db.session.get(User, session["user_id"]) if "user_id" in session else None
        if user is None:
            raise OAuthError("login_required", "log in first", status=401)
        client_id = request.args.get("client_id", "")
        redirect_uri = request.args.get("redirect_uri", "")
        if client_id not in clients():
            raise OAuthError("invalid_client", "unknown client_id")
        if redirect_uri not in clients()[client_id]["redirect_uris"]:
            raise OAuthError("invalid_request", "redirect_uri must be one of the client's registered URIs")
        state = request.args.get("state")
        if request.args.get("response_type") != "code":
            raise OAuthError("unsupported_response_type", "only code", redirect_uri=redirect_uri, state=state)
        challenge = request.args.get("code_challenge", "")
        if request.args.get("code_challenge_method") != "S256" or not PKCE.well_formed(challenge):
            raise OAuthError("invalid_request", "PKCE with code_challenge_method=S256 is required",
                             redirect_uri=redirect_uri, state=state)
        code = secrets.token_urlsafe(32)
        db.session.add(AuthorizationCode(
            code_hash=sha256_hex(code), client_id=client_id, user_id=user.id, redirect_uri=redirect_uri,
            code_challenge=challenge, code_challenge_method="S256",
            expires_at=time.time() + current_app.config["OAUTH_CODE_LIFETIME"],
        ))
        db.session.commit()
        query = {"code": code} if state is None else {"code": code, "state": state}
        return redirect(redirect_uri + "?" + urlencode(query))


class TokenView(MethodView):
    def post(self):
        if request.form.get("grant_type") != "authorization_code":
            raise OAuthError("unsupported_grant_type", "only authorization_code")
        client_id = request.form.get("client_id", "")
        if client_id not in clients():
            raise OAuthError("invalid_client", "unknown client_id", status=401)
        code = request.form.get("code")
        if not code:
            raise OAuthError("invalid_request", "code is required")
        grant = AuthorizationCode.query.filter_by(code_hash=sha256_hex(code), client_id=client_id).first()
        if grant is None or time.time() >= grant.expires_at:
            raise OAuthError("invalid_grant", "unknown, used, expired or another client's code")
        if request.form.get("redirect_uri") != grant.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri differs from the authorization request's")
        verifier = request.form.get("code_verifier")
        if not verifier or not PKCE.well_formed(verifier):
            raise OAuthError("invalid_request", "a well-formed code_verifier is required")
        if not PKCE.verify(verifier, grant.code_challenge):
            raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge")
        # One use: the DELETE that removes the row wins; a concurrent exchange deletes nothing.
        if AuthorizationCode.query.filter_by(code_hash=grant.code_hash).delete() != 1:
            db.session.rollback()
            raise OAuthError("invalid_grant", "the code was already used")
        token, lifetime = secrets.token_urlsafe(32), int(current_app.config["OAUTH_TOKEN_LIFETIME"])
        db.session.add(AccessToken(token_hash=sha256_hex(token), client_id=client_id, user_id=grant.user_id,
                                   expires_at=time.time() + lifetime))
        db.session.commit()
        response = jsonify(access_token=token, token_type="Bearer", expires_in=lifetime)
        response.headers["Cache-Control"] = "no-store"
        return response


def bearer_token_required(view):
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        if not header.lower().startswith("bearer ") or not header[7:].strip():
            raise OAuthError("invalid_token", "Authorization: Bearer <token> is required", status=401,
                             headers={"WWW-Authenticate": "Bearer"})
        token = db.session.get(AccessToken, sha256_hex(header[7:].strip()))
        if token is None or time.time() >= token.expires_at:
            raise OAuthError("invalid_token", "unknown or expired token", status=401,
                             headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        g.access_token = token
        return view(*args, **kwargs)
    return wrapper


class MeView(MethodView):
    decorators = [bearer_token_required]

    def get(self):
        user = db.session.get(User, g.access_token.user_id)
        return {"username": user.username, "client_id": g.access_token.client_id}


bp.add_url_rule("/oauth/authorize", view_func=AuthorizeView.as_view("authorize"))
bp.add_url_rule("/oauth/token", view_func=TokenView.as_view("token"))
bp.add_url_rule("/api/me", view_func=MeView.as_view("me"))
