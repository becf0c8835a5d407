"""c04 demo: a small auth service behind a Flask-RESTX API, every security layer of the chapter in one app.

- JWT (Flask-JWT-Extended): POST /api/auth/login answers an access token (15 minutes) and a refresh token
  (7 days); POST /api/auth/refresh rotates (the used refresh token is blocklisted, a new pair is issued, so a
  refresh token works once); POST /api/auth/logout revokes the access token. The blocklist is kept in memory
  here; a real service keeps it in its database or Redis, for as long as the tokens would live.
- Roles: the access token carries a "role" claim. GET /api/admin/users needs role "admin": no token is 401
  (who are you?), a valid token of a plain user is 403 (we know you, and the answer is no).
- An IP allow list for the admin namespace, with CIDR networks (ipaddress). It reads request.remote_addr: a
  proxy's X-Forwarded-For is only trusted once ProxyFix is configured for the number of proxies you run.
- API keys: POST /api/keys makes a key shown once; only its SHA-256 hash and a public prefix are stored;
  GET /api/reports accepts the key in X-API-Key (constant-time comparison); DELETE /api/keys/<id> revokes it.
- OAuth 2.0 PKCE: GET /api/oauth/pkce makes a code_verifier and its S256 code_challenge, to try the
  authorization-code flow of the chapter's exercise by hand.
- Rate limits (Flask-Limiter): login is limited to 10 per minute per client address; the 11th answers 429 as
  JSON with Retry-After and X-RateLimit-* headers.
- Security headers on every answer; HSTS only when the request came over HTTPS.

Demo users (demo only, in memory): alice / alice-demo-pass (admin), bob / bob-demo-pass (user).
The JWT signing key comes from JWT_SECRET_KEY, or is random per start: every start is fresh.

Run:  flask --app app run --port 5001   then open http://127.0.0.1:5001/swagger
"""
import base64
import hashlib
import hmac
import ipaddress
import os
import secrets
from datetime import datetime, timedelta, timezone
from functools import wraps

from flask import Flask, current_app, g, request
from flask_jwt_extended import (JWTManager, create_access_token, create_refresh_token, get_jwt,
                                get_jwt_identity, jwt_required, verify_jwt_in_request)
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_restx import Api, Namespace, Resource, abort, fields
from werkzeug.security import check_password_hash, generate_password_hash

limiter = Limiter(get_remote_address, storage_uri="memory://", headers_enabled=True)
jwt = JWTManager()

# ---------------------------------------------------------------- the in-memory stores


def store(name):
    return current_app.extensions["c04_demo"][name]


@jwt.token_in_blocklist_loader
def token_revoked(jwt_header, jwt_payload):
    """Every token is checked against the blocklist: a revoked jti is refused with 401."""
    return jwt_payload["jti"] in store("blocklist")


@jwt.revoked_token_loader
def revoked_answer(jwt_header, jwt_payload):
    return {"message": "token has been revoked"}, 401


@jwt.unauthorized_loader
def missing_token(reason):
    return {"message": f"authentication required: {reason}"}, 401, {"WWW-Authenticate": "Bearer"}


@jwt.invalid_token_loader
def invalid_token(reason):
    return {"message": f"invalid token: {reason}"}, 401, {"WWW-Authenticate": "Bearer"}


@jwt.expired_token_loader
def expired_token(jwt_header, jwt_payload):
    return {"message": "token expired"}, 401, {"WWW-Authenticate": "Bearer"}


def issue_pair(username):
    role = store("users")[username]["role"]
    return {
        "access_token": create_access_token(identity=username, additional_claims={"role": role}),
        "refresh_token": create_refresh_token(identity=username),
        "token_type": "Bearer",
        "expires_in": int(current_app.config["JWT_ACCESS_TOKEN_EXPIRES"].total_seconds()),
    }


def role_required(role):
    """401 without a valid access token, 403 with a token whose role is not `role`."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            verify_jwt_in_request()
            if get_jwt().get("role") != role:
                abort(403, f"this needs the {role} role")
            return view(*args, **kwargs)
        return wrapped
    return decorator


def ip_allowed(view):
    """403 unless request.remote_addr is in one of ADMIN_ALLOWED_NETWORKS (CIDR)."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        try:
            client = ipaddress.ip_address(request.remote_addr or "")
        except ValueError:
            abort(403, "unknown client address")
        if not any(client in network for network in current_app.config["ADMIN_ALLOWED_NETWORKS"]):
            abort(403, f"{client} is not on the admin allow list")
        return view(*args, **kwargs)
    return wrapped


def key_hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_required(view):
    """401 unless X-API-Key holds a live key: found by its prefix, its hash compared in constant time."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        provided = request.headers.get("X-API-Key", "")
        prefix = provided.partition(".")[0]
        record = next((k for k in store("keys").values() if k["prefix"] == prefix), None)
        if (record is None or record["revoked_at"] is not None
                or not hmac.compare_digest(record["hash"], key_hash(provided))):
            abort(401, "invalid, revoked or missing API key")
        record["last_used_at"] = datetime.now(timezone.utc).isoformat()
        g.api_key = record
        return view(*args, **kwargs)
    return wrapped


# ---------------------------------------------------------------- auth: login, refresh with rotation, logout

auth = Namespace("auth", description="JWT access and refresh tokens, rotation and revocation")
credentials_doc = auth.model("Credentials", {
    "username": fields.String(required=True, example="alice"),
    "password": fields.String(required=True, example="alice-demo-pass"),
})
pair_doc = auth.model("TokenPair", {
    "access_token": fields.String, "refresh_token": fields.String,
    "token_type": fields.String(example="Bearer"), "expires_in": fields.Integer(example=900),
})
bearer = {"security": "Bearer"}


@auth.route("/login")
class Login(Resource):
    decorators = [limiter.limit("10 per minute")]

    @auth.expect(credentials_doc)
    @auth.response(200, "A token pair", pair_doc)
    @auth.response(401, "Wrong username or password (the same answer for both)")
    @auth.response(429, "More than 10 logins a minute from this address")
    def post(self):
        """Log in: an access token (15 min) and a refresh token (7 days). Limited to 10 a minute."""
        data = request.get_json(silent=True) or {}
        user = store("users").get(str(data.get("username", "")))
        if user is None or not check_password_hash(user["password_hash"], str(data.get("password", ""))):
            abort(401, "invalid credentials")
        return issue_pair(user["username"])


@auth.route("/refresh")
class Refresh(Resource):
    @auth.doc(**bearer)
    @auth.response(200, "A new pair; the refresh token you sent is now revoked", pair_doc)
    @auth.response(401, "Missing, expired or already used refresh token")
    @jwt_required(refresh=True)
    def post(self):
        """Rotate: send the refresh token as Bearer, get a new pair; the old refresh token works once."""
        store("blocklist").add(get_jwt()["jti"])
        return issue_pair(get_jwt_identity())


@auth.route("/logout")
class Logout(Resource):
    @auth.doc(**bearer)
    @jwt_required()
    def post(self):
        """Revoke the access token you send (its jti goes on the blocklist)."""
        store("blocklist").add(get_jwt()["jti"])
        return {"message": "access token revoked"}


@auth.route("/me")
class Me(Resource):
    @auth.doc(**bearer)
    @jwt_required()
    def get(self):
        """Who the access token belongs to, and its claims."""
        claims = get_jwt()
        return {"username": get_jwt_identity(), "role": claims.get("role"),
                "expires_at": datetime.fromtimestamp(claims["exp"], timezone.utc).isoformat()}


# ---------------------------------------------------------------- roles and the IP allow list

admin = Namespace("admin", description="Role admin only (401 vs 403), from allowed networks only")
user_doc = admin.model("User", {"username": fields.String, "role": fields.String})


@admin.route("/users")
class Users(Resource):
    @admin.doc(**bearer)
    @admin.response(200, "Every user", [user_doc])
    @admin.response(401, "No valid access token")
    @admin.response(403, "Not an admin, or not from an allowed network")
    @ip_allowed
    @role_required("admin")
    def get(self):
        """Every user (admins only, from ADMIN_ALLOWED_NETWORKS)."""
        return [{"username": u["username"], "role": u["role"]} for u in store("users").values()]


# ---------------------------------------------------------------- API keys

keys = Namespace("keys", description="API keys: shown once, stored hashed, revocable")
key_in_doc = keys.model("NewKey", {"name": fields.String(required=True, example="reporting job")})
key_doc = keys.model("ApiKey", {
    "id": fields.Integer, "name": fields.String, "prefix": fields.String(example="c04_Ab12Cd34"),
    "created_at": fields.String, "last_used_at": fields.String, "revoked_at": fields.String,
})
key_created_doc = keys.inherit("ApiKeyCreated", key_doc, {
    "key": fields.String(description="The whole key: shown in this answer only, never again"),
})


def public(record):
    return {k: record[k] for k in ("id", "name", "prefix", "created_at", "last_used_at", "revoked_at")}


@keys.route("")
class KeyList(Resource):
    @keys.doc(**bearer)
    @keys.response(200, "Your keys, without secrets", [key_doc])
    @jwt_required()
    def get(self):
        """Your keys: name, prefix and dates, never the key."""
        return [public(k) for k in store("keys").values() if k["owner"] == get_jwt_identity()]

    @keys.doc(**bearer)
    @keys.expect(key_in_doc)
    @keys.response(201, "The key, shown once", key_created_doc)
    @keys.response(400, "A name of 1 to 50 characters is required")
    @jwt_required()
    def post(self):
        """Make a key. The answer holds the whole key once; the server keeps its SHA-256 hash."""
        name = (request.get_json(silent=True) or {}).get("name")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 50:
            abort(400, "name: 1 to 50 characters")
        prefix = "c04_" + secrets.token_urlsafe(6)
        key = f"{prefix}.{secrets.token_urlsafe(32)}"
        records = store("keys")
        record = {"id": len(records) + 1, "owner": get_jwt_identity(), "name": name.strip(), "prefix": prefix,
                  "hash": key_hash(key), "created_at": datetime.now(timezone.utc).isoformat(),
                  "last_used_at": None, "revoked_at": None}
        records[record["id"]] = record
        return {**public(record), "key": key}, 201


@keys.route("/<int:key_id>")
class KeyItem(Resource):
    @keys.doc(**bearer)
    @keys.response(204, "Revoked: the key stops working at once")
    @keys.response(404, "No such key of yours")
    @jwt_required()
    def delete(self, key_id):
        """Revoke one of your keys."""
        record = store("keys").get(key_id)
        if record is None or record["owner"] != get_jwt_identity():
            abort(404, f"key {key_id} does not exist")
        record["revoked_at"] = record["revoked_at"] or datetime.now(timezone.utc).isoformat()
        return "", 204


reports = Namespace("reports", description="A machine client's endpoint: X-API-Key instead of a login")


@reports.route("")
class Reports(Resource):
    @reports.doc(security="ApiKey")
    @reports.response(401, "Invalid, revoked or missing API key")
    @api_key_required
    def get(self):
        """Reports for the key's owner (send the key in X-API-Key)."""
        return {"owner": g.api_key["owner"], "key": g.api_key["prefix"],
                "reports": [{"month": "2026-11", "orders": 42}, {"month": "2026-12", "orders": 17}]}


# ---------------------------------------------------------------- OAuth 2.0 PKCE helper

oauth = Namespace("oauth", description="PKCE (RFC 7636) for the authorization-code flow")


@oauth.route("/pkce")
class Pkce(Resource):
    def get(self):
        """A fresh code_verifier and its S256 code_challenge: BASE64URL(SHA256(verifier)), no padding."""
        verifier = secrets.token_urlsafe(48)  # 64 characters of [A-Za-z0-9_-], within RFC 7636's 43..128
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=")
        return {"code_verifier": verifier, "code_challenge": challenge.decode("ascii"),
                "code_challenge_method": "S256"}


# ---------------------------------------------------------------- the app


def create_app():
    app = Flask(__name__)
    app.config.update(
        JWT_SECRET_KEY=os.environ.get("JWT_SECRET_KEY") or secrets.token_urlsafe(32),
        JWT_ACCESS_TOKEN_EXPIRES=timedelta(minutes=15),
        JWT_REFRESH_TOKEN_EXPIRES=timedelta(days=7),
        # Flask-RESTX answers every exception itself unless exceptions propagate; Flask-JWT-Extended's
        # error handlers (401 for a missing, invalid, expired or revoked token) live on the app, so let
        # its exceptions reach them (python-restx/flask-restx#512, vimalloc/flask-jwt-extended#86).
        PROPAGATE_EXCEPTIONS=True,
        RESTX_MASK_SWAGGER=False,
        RESTX_ERROR_404_HELP=False,
        ADMIN_ALLOWED_NETWORKS=[ipaddress.ip_network(n) for n in ("127.0.0.0/8", "::1/128", "10.0.0.0/8")],
    )
    app.extensions["c04_demo"] = {
        "users": {name: {"username": name, "role": role, "password_hash": generate_password_hash(password)}
                  for name, role, password in (("alice", "admin", "alice-demo-pass"),
                                               ("bob", "user", "bob-demo-pass"))},
        "blocklist": set(),
        "keys": {},
    }
    jwt.init_app(app)
    limiter.init_app(app)
    api = Api(app, version="1.0", title="c04 demo: API authentication and security", doc="/swagger",
              description="Log in as alice / alice-demo-pass (admin) or bob / bob-demo-pass (user), then "
                          "Authorize with `Bearer <access_token>`.",
              authorizations={"Bearer": {"type": "apiKey", "in": "header", "name": "Authorization",
                                         "description": "Bearer <token>"},
                              "ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}})

    @api.errorhandler(RateLimitExceeded)
    def too_many(error):
        """429 as JSON; Flask-Limiter adds Retry-After and the X-RateLimit-* headers after the view."""
        return {"message": "rate limit exceeded", "limit": str(error.description)}, 429

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if response.mimetype == "application/json":
            # An API answer is never a page: it may load nothing and be framed by no one. (Swagger UI's
            # HTML page runs inline scripts, so it gets no CSP here.)
            response.headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
            response.headers.setdefault("Cache-Control", "no-store")
        if request.is_secure:  # HSTS over HTTPS only: browsers ignore it over HTTP, and it must not lock out dev
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response

    api.add_namespace(auth, path="/api/auth")
    api.add_namespace(admin, path="/api/admin")
    api.add_namespace(keys, path="/api/keys")
    api.add_namespace(reports, path="/api/reports")
    api.add_namespace(oauth, path="/api/oauth")
    return app


app = create_app()
