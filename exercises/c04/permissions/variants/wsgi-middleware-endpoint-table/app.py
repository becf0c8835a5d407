"""Reports API: the IP lists as WSGI middleware (under ProxyFix), permissions from one table of
endpoint -> permission checked in a single before_request hook (no decorators)."""
import ipaddress
import json

from flask import Flask, abort, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

ROLE_PERMISSIONS = {
    "viewer": {"reports:read"},
    "editor": {"reports:read", "reports:write"},
    "admin": {"reports:read", "reports:write", "reports:delete", "audit:read"},
}
ENDPOINT_PERMISSIONS = {
    "list_reports": "reports:read",
    "create_report": "reports:write",
    "delete_report": "reports:delete",
    "audit": "audit:read",
}


class IPFilter:
    """WSGI middleware: 403 for the addresses the lists exclude, before Flask sees the request."""

    def __init__(self, wsgi_app, allow, deny):
        self.wsgi_app = wsgi_app
        self.allow = [ipaddress.ip_network(e, strict=False) for e in allow]  # ValueError for a typo
        self.deny = [ipaddress.ip_network(e, strict=False) for e in deny]

    def allowed(self, address):
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        if any(ip.version == n.version and ip in n for n in self.deny):
            return False
        return not self.allow or any(ip.version == n.version and ip in n for n in self.allow)

    def __call__(self, environ, start_response):
        if self.allowed(environ.get("REMOTE_ADDR", "")):
            return self.wsgi_app(environ, start_response)
        body = json.dumps({"error": "your address may not use this API"}).encode()
        start_response("403 FORBIDDEN", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(API_TOKENS={}, IP_ALLOWLIST=[], IP_DENYLIST=[], TRUSTED_PROXIES=0)
    app.config.update(test_config or {})
    app.wsgi_app = IPFilter(app.wsgi_app, app.config["IP_ALLOWLIST"], app.config["IP_DENYLIST"])
    if app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["TRUSTED_PROXIES"]))  # outermost
    reports, audit_log = {}, []

    @app.errorhandler(HTTPException)
    def as_json(e):
        return jsonify(error=e.description), e.code

    @app.before_request
    def authorize():
        permission = ENDPOINT_PERMISSIONS.get(request.endpoint)
        if permission is None:
            return None  # a public route
        token = request.headers.get("Authorization", "")
        user = current_app.config["API_TOKENS"].get(token[7:]) if token[:7].lower() == "bearer " else None
        if user is None:
            return jsonify(error="authentication required"), 401, {"WWW-Authenticate": "Bearer"}
        if permission not in ROLE_PERMISSIONS.get(user["role"], ()):
            return jsonify(error="forbidden", permission=permission), 403
        g.user = user
        return None

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.get("/reports")
    def list_reports():
        return jsonify(list(reports.values()))

    @app.post("/reports")
    def create_report():
        data = request.get_json(silent=True)
        title = data.get("title") if isinstance(data, dict) else None
        if not isinstance(title, str) or not title.strip() or len(title) > 200:
            abort(400, "title required")
        report = {"id": max(reports, default=0) + 1, "title": title.strip(), "author": g.user["user"]}
        reports[report["id"]] = report
        audit_log.append({"user": g.user["user"], "action": f"created report {report['id']}"})
        return report, 201

    @app.delete("/reports/<int:report_id>")
    def delete_report(report_id):
        if reports.pop(report_id, None) is None:
            abort(404, "no such report")
        audit_log.append({"user": g.user["user"], "action": f"deleted report {report_id}"})
        return "", 204

    @app.get("/audit")
    def audit():
        return jsonify(audit_log)

    return app
