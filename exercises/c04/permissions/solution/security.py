"""Who may do what (roles -> permissions, require_permission) and from where (IP lists).

401 Unauthorized: we do not know who you are (no or unknown token): authenticate and retry.
403 Forbidden: we know who you are, or where you come from, and the answer is no.
"""
import functools
import hmac
import ipaddress

from flask import abort, current_app, g, jsonify, request

ROLES = {
    "viewer": frozenset({"reports:read"}),
    "editor": frozenset({"reports:read", "reports:write"}),
    "admin": frozenset({"reports:read", "reports:write", "reports:delete", "audit:read"}),
}


def permissions_of(role):
    return ROLES.get(role, frozenset())  # an unknown role may do nothing


def authenticated_user():
    """The API_TOKENS entry of the request's bearer token, or None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    for known, user in current_app.config.get("API_TOKENS", {}).items():
        if hmac.compare_digest(known.encode(), token.encode()):
            return user
    return None


def require_permission(permission):
    """401 without a known bearer token; 403 when the user's role lacks `permission`."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            user = authenticated_user()
            if user is None:
                response = jsonify(error="Send a valid token: Authorization: Bearer <token>")
                response.status_code = 401
                response.headers["WWW-Authenticate"] = "Bearer"
                abort(response)
            if permission not in permissions_of(user.get("role")):
                response = jsonify(error=f"Your role may not do this: it needs {permission}", permission=permission)
                response.status_code = 403
                abort(response)
            g.user = user
            return view(*args, **kwargs)
        return wrapper
    return decorator


def parse_networks(entries):
    """ip_network objects for "10.0.0.5", "10.0.0.0/8", "2001:db8::/32"...; ValueError for anything else."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError as e:
            raise ValueError(f"not an IP address or network: {entry!r} ({e})") from None
    return networks


def client_ip():
    """request.remote_addr: the TCP peer, or the client ProxyFix found behind trusted proxies."""
    try:
        return ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return None


def init_ip_filter(app):
    allow = parse_networks(app.config.get("IP_ALLOWLIST") or [])
    deny = parse_networks(app.config.get("IP_DENYLIST") or [])

    @app.before_request
    def ip_filter():
        ip = client_ip()
        if ip is None:
            abort(403, description="Unknown client address")
        if any(ip in network for network in deny if network.version == ip.version):
            abort(403, description=f"Requests from {ip} are not allowed")  # the deny list wins
        if allow and not any(ip in network for network in allow if network.version == ip.version):
            abort(403, description=f"Requests from {ip} are not allowed")
