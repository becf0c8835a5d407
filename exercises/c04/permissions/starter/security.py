"""Who may do what (roles -> permissions, require_permission) and from where (IP lists).

TODO (see the brief's numbered requirements):
- ROLES: the permissions of each role;
- require_permission(permission): 401 without a known token, 403 when the role lacks it;
- init_ip_filter(app): parse IP_ALLOWLIST / IP_DENYLIST with the ipaddress module and refuse
  (403) the requests whose request.remote_addr they exclude; the deny list wins.
"""
import functools
import hmac

from flask import current_app, g, request

ROLES = {
    # TODO: "viewer", "editor", "admin" -> their permissions
}


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
    """TODO: 401 without a known bearer token; 403 when the user's role lacks `permission`."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            g.user = authenticated_user() or {"user": "anonymous", "role": None}
            return view(*args, **kwargs)
        return wrapper
    return decorator


def init_ip_filter(app):
    """TODO: refuse the requests of the clients the IP lists exclude (app.before_request)."""
