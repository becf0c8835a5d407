"""The OAuth 2.0 endpoints with Authlib: an AuthorizationServer with the authorization code grant
and the PKCE extension (RFC 7636) restricted to S256 and required, and a ResourceProtector."""
import re
import secrets
import time

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector, current_token
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, InvalidRequestError, grants
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from flask import Blueprint, current_app, jsonify, session

from models import AccessToken, AuthorizationCode, User, db, sha256_hex

bp = Blueprint("oauth", __name__)
PKCE_VALUE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")



def payload(oauth_request):
    """The request's OAuth parameters: request.payload in Authlib 1.3+ (tested with 1.9), the
    request itself in Authlib 1.2 (Debian 12)."""
    return getattr(oauth_request, "payload", oauth_request)


class Client(ClientMixin):
    """A registered public client, from app.config["OAUTH_CLIENTS"]."""

    def __init__(self, client_id, redirect_uris):
        self.client_id = client_id
        self.redirect_uris = list(redirect_uris)

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return None  # the redirect_uri is always required

    def get_allowed_scope(self, scope):
        return ""

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris  # exact match only

    def check_client_secret(self, client_secret):
        return False  # public client: no secret

    def check_endpoint_auth_method(self, method, endpoint):
        return method == "none"

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"  # no refresh tokens


def query_client(client_id):
    config = current_app.config["OAUTH_CLIENTS"].get(client_id) if client_id else None
    return Client(client_id, config["redirect_uris"]) if config else None


def save_token(token, request):
    db.session.add(AccessToken(
        token_hash=sha256_hex(token["access_token"]),
        client_id=request.client.get_client_id(),
        user_id=request.user.id,
        scope=token.get("scope", ""),
        issued_at=time.time(),
        expires_in=token["expires_in"],
    ))
    db.session.commit()


class S256CodeChallenge(CodeChallenge):
    """PKCE required on every authorization request, S256 only (OAuth 2.1)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant, *args):
        params = payload(grant.request)
        if params.data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge_method must be S256", state=params.state)
        if not PKCE_VALUE.match(params.data.get("code_challenge") or ""):
            raise InvalidRequestError("code_challenge is missing or malformed", state=params.state)


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["none"]

    def generate_authorization_code(self):
        return secrets.token_urlsafe(32)

    def save_authorization_code(self, code, request):
        params = payload(request)
        db.session.add(AuthorizationCode(
            code_hash=sha256_hex(code),
            client_id=request.client.get_client_id(),
            user_id=request.user.id,
            redirect_uri=params.redirect_uri,
            scope=params.scope or "",
            code_challenge=params.data["code_challenge"],
            code_challenge_method=params.data["code_challenge_method"],
            expires_at=time.time() + current_app.config["OAUTH_CODE_LIFETIME"],
        ))
        db.session.commit()

    def query_authorization_code(self, code, client):
        found = db.session.get(AuthorizationCode, sha256_hex(code))
        if found is None or found.client_id != client.get_client_id() or found.is_expired():
            return None
        return found

    def delete_authorization_code(self, authorization_code):
        db.session.delete(authorization_code)
        db.session.commit()

    def authenticate_user(self, authorization_code):
        return db.session.get(User, authorization_code.user_id)


class TokenValidator(BearerTokenValidator):
    def authenticate_token(self, token_string):
        return db.session.get(AccessToken, sha256_hex(token_string))


server = AuthorizationServer()
require_oauth = ResourceProtector()
require_oauth.register_token_validator(TokenValidator())


def init_oauth(app):
    # Authlib reads the token lifetime when the server is attached to the app.
    app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {"authorization_code": int(app.config["OAUTH_TOKEN_LIFETIME"])}
    server.init_app(app, query_client=query_client, save_token=save_token)
    server.register_grant(AuthorizationCodeGrant, [S256CodeChallenge(required=True)])
    app.register_blueprint(bp)


@bp.get("/oauth/authorize")
def authorize():
    user = db.session.get(User, session["user_id"]) if "user_id" in session else None
    if user is None:
        response = jsonify(error="login_required", error_description="log in first, then retry this request")
        return response, 401
    try:
        grant = server.get_consent_grant(end_user=user)
    except OAuth2Error as error:  # Authlib answers it: a 400, or an error redirect
        return server.handle_error_response(None, error)
    if not hasattr(grant.request, "payload"):  # Authlib 1.2 validates the request once more itself
        return server.create_authorization_response(grant_user=user)
    return server.create_authorization_response(grant_user=user, grant=grant)


@bp.post("/oauth/token")
def token():
    return server.create_token_response()


@bp.get("/api/me")
@require_oauth()
def me():
    return {"username": current_token.user.username, "client_id": current_token.client_id}
