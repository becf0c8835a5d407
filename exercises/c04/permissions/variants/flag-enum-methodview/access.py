"""Permissions as flags (a role is their union) and IP rules as an object installed on the app."""
import enum
import functools
import ipaddress

from flask import abort, current_app, g, make_response, request


class Perm(enum.Flag):
    NONE = 0
    REPORTS_READ = enum.auto()
    REPORTS_WRITE = enum.auto()
    REPORTS_DELETE = enum.auto()
    AUDIT_READ = enum.auto()

    @property
    def label(self):
        return self.name.lower().replace("_", ":", 1)


ROLES = {
    "viewer": Perm.REPORTS_READ,
    "editor": Perm.REPORTS_READ | Perm.REPORTS_WRITE,
    "admin": Perm.REPORTS_READ | Perm.REPORTS_WRITE | Perm.REPORTS_DELETE | Perm.AUDIT_READ,
}


def requires(perm):
    def decorator(method):
        @functools.wraps(method)
        def checked(*args, **kwargs):
            kind, _, token = request.headers.get("Authorization", "").partition(" ")
            user = current_app.config["API_TOKENS"].get(token) if kind.lower() == "bearer" else None
            if not user:
                abort(make_response({"error": "unauthenticated"}, 401, {"WWW-Authenticate": "Bearer"}))
            if perm not in ROLES.get(user.get("role"), Perm.NONE):
                abort(make_response({"error": f"missing {perm.label}", "permission": perm.label}, 403))
            g.user = user
            return method(*args, **kwargs)
        return checked
    return decorator


class IPRules:
    def __init__(self, allow, deny):
        self.allow, self.deny = allow, deny

    @classmethod
    def from_config(cls, config):
        def nets(entries):
            return tuple(ipaddress.ip_network(e, strict=False) for e in entries)  # ValueError on typos
        return cls(nets(config.get("IP_ALLOWLIST", ())), nets(config.get("IP_DENYLIST", ())))

    def permits(self, ip):
        def hit(networks):
            return any(ip.version == n.version and ip in n for n in networks)
        return not hit(self.deny) and (not self.allow or hit(self.allow))

    def install(self, app):
        @app.before_request
        def check_ip():
            try:
                ip = ipaddress.ip_address(request.remote_addr)
            except (TypeError, ValueError):
                abort(403, "unknown address")
            if not self.permits(ip):
                abort(403, f"{ip} may not use this API")
