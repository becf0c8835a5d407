"""Checks for c04-permissions: roles and permissions (401 vs 403), IP allow/deny lists, X-Forwarded-For.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

from flask_tutor_pytest.helpers import about

TOKENS = {
    "tok-viewer": {"user": "vera", "role": "viewer"},
    "tok-editor": {"user": "eddie", "role": "editor"},
    "tok-admin": {"user": "ada", "role": "admin"},
    "tok-intern": {"user": "ian", "role": "intern"},
}


def config(**values):
    return pytest.mark.app_config(API_TOKENS=TOKENS, **values)


def _as(role):
    return {"Authorization": f"Bearer tok-{role}"}


def _text(response):
    return response.get_data(as_text=True)[:200]


def _error_body(response, what):
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"], (
        f"the {response.status_code} of {what} should be a JSON object with a string error, got {_text(response)!r}"
    )
    return body


def _create(client, title="Q3 numbers", role="admin"):
    response = client.post("/reports", json={"title": title}, headers=_as(role))
    assert response.status_code == 201, f"POST /reports by the {role} should answer 201, got {response.status_code}: {_text(response)}"
    return response.get_json()


def _titles(client):
    response = client.get("/reports", headers=_as("admin"))
    assert response.status_code == 200, f"GET /reports by the admin should answer 200, got {response.status_code}: {_text(response)}"
    return [r["title"] for r in response.get_json()]


def _routes(report_id):
    return [("get", "/reports", None, "reports:read"), ("post", "/reports", {"title": "x"}, "reports:write"),
            ("delete", f"/reports/{report_id}", None, "reports:delete"), ("get", "/audit", None, "audit:read")]


def _get(client, path="/health", ip="127.0.0.1", **kwargs):
    return client.get(path, environ_base={"REMOTE_ADDR": ip}, **kwargs)


def _allowed(response, what):
    with about(hint="Compare addresses with networks using the ipaddress module: `ipaddress.ip_address(a) in ipaddress.ip_network(n)`.", blame="security.py:init_ip_filter"):
        assert response.status_code == 200, f"{what} should be let in (200), got {response.status_code}: {_text(response)}"


def _refused(response, what):
    with about(hint="In `app.before_request`, refuse with `abort(403, ...)` the addresses the lists exclude.", blame="security.py:init_ip_filter"):
        assert response.status_code == 403, f"{what} should be refused with 403, got {response.status_code}: {_text(response)}"
    _error_body(response, what)


@pytest.mark.req(1)
@config()
def test_unauthenticated_is_401(client):
    """No token or an unknown token answers 401 with WWW-Authenticate: Bearer, and changes nothing"""
    report = _create(client)
    for headers, label in (({}, "without Authorization"), ({"Authorization": "Bearer tok-nobody"}, "with an unknown token"),
                           ({"Authorization": "Basic dG9rLWFkbWluOg=="}, "with Basic instead of Bearer")):
        for method, url, body, _ in _routes(report["id"]):
            response = getattr(client, method)(url, json=body, headers=headers)
            with about(hint="No known token is 401 (who are you?); 403 is for a known user who may not do it.", blame="security.py:require_permission"):
                assert response.status_code == 401, f"{method.upper()} {url} {label} should answer 401, got {response.status_code}: {_text(response)}"
            _error_body(response, f"{method.upper()} {url} {label}")
            with about(hint="Set `response.headers[\"WWW-Authenticate\"] = \"Bearer\"` on the 401."):
                assert response.headers.get("WWW-Authenticate", "").lower().startswith("bearer"), (
                    f"the 401 of {method.upper()} {url} {label} should carry WWW-Authenticate: Bearer, got {response.headers.get('WWW-Authenticate')!r}"
                )
    assert _titles(client) == ["Q3 numbers"], "refused requests must not create or delete reports"


@pytest.mark.req(2)
@config()
def test_roles_and_permissions(client):
    """Each role gets exactly its permissions: the others answer 403 with the permission needed"""
    report = _create(client)
    grants = {"viewer": {"reports:read"}, "editor": {"reports:read", "reports:write"},
              "admin": {"reports:read", "reports:write", "reports:delete", "audit:read"}, "intern": set()}
    for role in ("viewer", "editor", "intern"):
        for method, url, body, permission in _routes(report["id"]):
            response = getattr(client, method)(url, json=body, headers=_as(role))
            what = f"{method.upper()} {url} by a user with the role {role}"
            if permission in grants[role]:
                assert response.status_code in (200, 201), f"{what} (it has {permission}) should be allowed, got {response.status_code}: {_text(response)}"
                continue
            with about(hint="A known user without the permission is 403 Forbidden, not 401: logging in again would not help.", blame="security.py:require_permission"):
                assert response.status_code == 403, f"{what} (it lacks {permission}) should answer 403, got {response.status_code}: {_text(response)}"
            body = _error_body(response, what)
            assert body.get("permission") == permission, f"the 403 of {what} should name the permission needed, \"permission\": {permission!r}, got {body}"
    assert sorted(_titles(client)) == ["Q3 numbers", "x"], "only the editor's POST /reports should have created a report; refused requests change nothing"
    audit = client.get("/audit", headers=_as("admin"))
    assert audit.status_code == 200, f"GET /audit by the admin should answer 200, got {audit.status_code}: {_text(audit)}"
    response = client.delete(f"/reports/{report['id']}", headers=_as("admin"))
    assert response.status_code == 204, f"DELETE /reports/{report['id']} by the admin should answer 204, got {response.status_code}: {_text(response)}"


@pytest.mark.req(3)
@config(IP_DENYLIST=["203.0.113.0/24", "198.51.100.9", "2001:db8:bad::/48"])
def test_deny_list(client):
    """Addresses in the deny list (single addresses and CIDR networks, IPv4 and IPv6) get 403"""
    for ip in ("203.0.113.7", "203.0.113.250", "198.51.100.9", "2001:db8:bad::1"):
        _refused(_get(client, ip=ip), f"GET /health from {ip} (IP_DENYLIST = 203.0.113.0/24, 198.51.100.9, 2001:db8:bad::/48)")
    for ip in ("203.0.114.1", "198.51.100.10", "127.0.0.1", "2001:db8:beef::1"):
        _allowed(_get(client, ip=ip), f"GET /health from {ip}, in no network of IP_DENYLIST")
    response = _get(client, "/reports", ip="203.0.113.7")
    with about(hint="Filter the address in `before_request`, which runs before the view and its permission check."):
        assert response.status_code == 403, f"GET /reports without a token from the denied 203.0.113.7 should answer 403 (the address is refused before authentication), got {response.status_code}"
    _refused(_get(client, "/reports", ip="203.0.113.7", headers=_as("admin")), "GET /reports by the admin from the denied 203.0.113.7")


@pytest.mark.req(3)
@config(IP_ALLOWLIST=["10.0.0.0/8", "192.168.1.20", "fd00::/8"])
def test_allow_list(client):
    """A non-empty allow list lets in only its addresses"""
    for ip in ("10.1.2.3", "10.255.0.1", "192.168.1.20", "fd00::5"):
        _allowed(_get(client, ip=ip), f"GET /health from {ip} (IP_ALLOWLIST = 10.0.0.0/8, 192.168.1.20, fd00::/8)")
    for ip in ("11.0.0.1", "192.168.1.21", "127.0.0.1", "2001:db8::1"):
        _refused(_get(client, ip=ip), f"GET /health from {ip}, outside IP_ALLOWLIST (10.0.0.0/8, 192.168.1.20, fd00::/8)")
    _refused(_get(client, "/reports", ip="11.0.0.1", headers=_as("admin")), "GET /reports by the admin from 11.0.0.1, outside the allow list")
    response = _get(client, "/reports", ip="10.1.2.3", headers=_as("admin"))
    assert response.status_code == 200, f"GET /reports by the admin from the allowed 10.1.2.3 should answer 200, got {response.status_code}"


@pytest.mark.req(4)
@config(IP_ALLOWLIST=["10.0.0.0/8"], IP_DENYLIST=["10.0.0.64/26"])
def test_deny_list_wins(client):
    """An address in both lists is refused"""
    _allowed(_get(client, ip="10.0.0.5"), "GET /health from 10.0.0.5 (allowed by 10.0.0.0/8, not in the denied 10.0.0.64/26)")
    for ip in ("10.0.0.66", "10.0.0.127"):
        with about(hint="Check the deny list first: a denied address is refused whatever the allow list says."):
            _refused(_get(client, ip=ip), f"GET /health from {ip}: in the allowed 10.0.0.0/8 but also in the denied 10.0.0.64/26 (the deny list wins)")


@pytest.mark.req(5)
def test_invalid_entries_raise(app_module):
    """An entry that is not an address or network makes create_app() raise ValueError"""
    for key in ("IP_DENYLIST", "IP_ALLOWLIST"):
        for entry in ("10.0.0.300", "10.0.0.0/33", "intranet"):
            raised = None
            try:
                app_module.create_app({"API_TOKENS": TOKENS, key: ["10.0.0.0/8", entry]})
            except ValueError as e:
                raised = e
            with about(hint="Parse the lists once, in create_app(), with `ipaddress.ip_network(entry, strict=False)`: it raises ValueError.", blame="security.py:init_ip_filter"):
                assert raised is not None, f"create_app() with {key} = ['10.0.0.0/8', {entry!r}] should raise ValueError, it did not"


@pytest.mark.req(6)
@config(IP_DENYLIST=["203.0.113.0/24"])
def test_forwarded_for_ignored_without_proxies(client):
    """Without TRUSTED_PROXIES, X-Forwarded-For is ignored: the address is remote_addr"""
    with about(hint="Use `request.remote_addr`, never the X-Forwarded-For header yourself: any client can write it."):
        _allowed(_get(client, ip="198.51.100.2", headers={"X-Forwarded-For": "203.0.113.7"}),
                 "GET /health from 198.51.100.2 claiming X-Forwarded-For: 203.0.113.7 (no trusted proxy: the header is ignored)")
        _refused(_get(client, ip="203.0.113.7", headers={"X-Forwarded-For": "198.51.100.2"}),
                 "GET /health from the denied 203.0.113.7 claiming X-Forwarded-For: 198.51.100.2 (no trusted proxy: the header is ignored)")


@pytest.mark.req(6)
@config(IP_DENYLIST=["203.0.113.0/24"], TRUSTED_PROXIES=1)
def test_forwarded_for_behind_a_trusted_proxy(client):
    """With TRUSTED_PROXIES = 1, the address is the last X-Forwarded-For entry (ProxyFix)"""
    proxy = "10.0.0.2"
    with about(hint="In create_app(): `if n > 0: app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n)` (werkzeug.middleware.proxy_fix).", blame="app"):
        _refused(_get(client, ip=proxy, headers={"X-Forwarded-For": "203.0.113.7"}),
                 "GET /health through the trusted proxy 10.0.0.2 for the denied client 203.0.113.7 (TRUSTED_PROXIES = 1)")
        _allowed(_get(client, ip=proxy, headers={"X-Forwarded-For": "203.0.113.7, 198.51.100.2"}),
                 "GET /health through the trusted proxy for 198.51.100.2, which wrote a fake 203.0.113.7 first (X-Forwarded-For: 203.0.113.7, 198.51.100.2; TRUSTED_PROXIES = 1: only the last entry counts)")
        _allowed(_get(client, ip=proxy, headers={"X-Forwarded-For": "198.51.100.2"}),
                 "GET /health through the trusted proxy for 198.51.100.2")
