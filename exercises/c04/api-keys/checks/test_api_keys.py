"""Checks for c04-api-keys: keys made once, stored hashed, found by prefix, rotated and revoked.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import re

import pytest

from flask_tutor_pytest.helpers import about

ADMIN_TOKEN = "admin-token-for-the-checks-0123456789"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
KEY_FORMAT = re.compile(r"ft_live_[a-z0-9]{8}_[A-Za-z0-9_-]{32,}")

pytestmark = pytest.mark.app_config(ADMIN_TOKEN=ADMIN_TOKEN)


def _text(response):
    return response.get_data(as_text=True)[:200]


def _error(response, status, what):
    assert response.status_code == status, f"{what} should answer {status}, got {response.status_code}: {_text(response)}"
    body = response.get_json(silent=True)
    with about(hint="Answer errors as JSON: an error handler for HTTPException returning `jsonify(error=e.description), e.code`.", blame="app"):
        assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"], (
            f"the {status} of {what} should be a JSON object with a string error, got {_text(response)!r}"
        )


def _create(client, name="billing service"):
    response = client.post("/keys", json={"name": name}, headers=ADMIN)
    assert response.status_code == 201, f"POST /keys with {{'name': {name!r}}} should answer 201, got {response.status_code}: {_text(response)}"
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and set(body) == {"id", "name", "prefix", "key"}, (
        f"POST /keys should answer exactly {{id, name, prefix, key}}, got {_text(response)}"
    )
    return body


def _works(client, key, name, what):
    response = client.get("/api/data", headers={"X-API-Key": key})
    assert response.status_code == 200, f"GET /api/data with {what} should answer 200, got {response.status_code}: {_text(response)}"
    assert response.get_json(silent=True) == {"client": name}, f"GET /api/data with {what} should answer {{'client': {name!r}}}, got {_text(response)}"


def _refused(client, key, what):
    _error(client.get("/api/data", headers={"X-API-Key": key}), 401, f"GET /api/data with {what}")


def _listed(client):
    response = client.get("/keys", headers=ADMIN)
    assert response.status_code == 200, f"GET /keys should answer 200, got {response.status_code}: {_text(response)}"
    body = response.get_json(silent=True)
    assert isinstance(body, list), f"GET /keys should answer a JSON array, got {_text(response)}"
    return body


@pytest.mark.req(1, 8)
def test_management_needs_the_admin_token(client, db_inspect):
    """Every key management route answers 401 without the admin token, and changes nothing"""
    key = _create(client)
    for headers, label in (({}, "without Authorization"), ({"Authorization": "Bearer wrong-token"}, "with a wrong admin token"),
                           ({"Authorization": ADMIN_TOKEN}, "with the admin token but no Bearer scheme")):
        for method, url, body in (("post", "/keys", {"name": "intruder"}), ("get", "/keys", None),
                                  ("post", f"/keys/{key['id']}/rotate", None), ("delete", f"/keys/{key['id']}", None)):
            with about(hint="Put `@admin_required` under the route decorator of every /keys route."):
                _error(getattr(client, method)(url, json=body, headers=headers), 401, f"{method.upper()} {url} {label}")
    _works(client, key["key"], "billing service", "the key, after refused management requests (they must change nothing)")
    assert [k["name"] for k in _listed(client)] == ["billing service"], "a refused POST /keys must not create a key"


@pytest.mark.req(2, 8)
def test_create(client):
    """POST /keys answers the key once, in the ft_live_ format, with its 16-character prefix"""
    first = _create(client, "  billing service  ")
    assert isinstance(first["id"], int) and first["name"] == "billing service", (
        f"the new key should have an integer id and the trimmed name 'billing service', got {first}"
    )
    with about(hint="`prefix = \"ft_live_\" + \"\".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(8))`, `key = f\"{prefix}_{secrets.token_urlsafe(32)}\"`."):
        assert isinstance(first["key"], str) and KEY_FORMAT.fullmatch(first["key"]), (
            f"the key should be ft_live_ + 8 of a-z0-9 + _ + a secret of 32+ characters of A-Za-z0-9_-, got {first['key']!r}"
        )
        assert first["prefix"] == first["key"][:16], f"the prefix should be the key's first 16 characters ({first['key'][:16]!r}), got {first['prefix']!r}"
    second = _create(client, "mailer")
    assert second["key"] != first["key"] and second["prefix"] != first["prefix"] and second["id"] != first["id"], (
        f"two keys should differ in id, key and prefix, got {first} and {second}"
    )
    for label, kwargs in (("no body", {}), ("a JSON array", {"json": ["x"]}), ("no name", {"json": {}}),
                          ("a number as name", {"json": {"name": 5}}), ("a blank name", {"json": {"name": "   "}}),
                          ("a name of 81 characters", {"json": {"name": "n" * 81}})):
        _error(client.post("/keys", headers=ADMIN, **kwargs), 400, f"POST /keys with {label}")
    _create(client, "n" * 80)


def _cells(db_inspect):
    for table in db_inspect.tables():
        for row in db_inspect.rows(table):
            for column, value in row.items():
                if isinstance(value, (bytes, bytearray, memoryview)):
                    value = bytes(value).decode("latin-1")
                if isinstance(value, str):
                    yield table, column, value


@pytest.mark.req(3)
def test_keys_are_stored_hashed(client, db_inspect):
    """No column of any table holds a key or its secret part"""
    first = _create(client, "billing service")
    keys = [first["key"], _create(client, "mailer")["key"]]
    rotated = client.post(f"/keys/{first['id']}/rotate", headers=ADMIN).get_json(silent=True) or {}
    if isinstance(rotated.get("key"), str):
        keys.append(rotated["key"])
    for key in keys:
        secret = key[17:]
        for table, column, value in _cells(db_inspect):
            with about(hint="Store `hashlib.sha256(key.encode()).hexdigest()` (or an HMAC with a server secret), never the key: compare the hash of what the client sends."):
                assert key not in value and secret not in value, (
                    f"the column {column} of table {table} holds an API key (or its secret part): store a hash, never the key"
                )


@pytest.mark.req(4)
def test_list(client):
    """GET /keys lists every key, oldest first, as {id, name, prefix, revoked}: never the key or hash"""
    a, b = _create(client, "billing service"), _create(client, "mailer")
    listed = _listed(client)
    with about(hint="List `{\"id\", \"name\", \"prefix\", \"revoked\"}` explicitly (a `to_dict()` of those four), not every column."):
        assert listed == [{"id": a["id"], "name": "billing service", "prefix": a["prefix"], "revoked": False},
                          {"id": b["id"], "name": "mailer", "prefix": b["prefix"], "revoked": False}], (
            f"GET /keys should answer exactly [{{id, name, prefix, revoked: false}}, ...] oldest first, got {str(listed)[:300]}"
        )


@pytest.mark.req(5, 8)
def test_api_key_authentication(client):
    """GET /api/data answers the key's client; missing, unknown, malformed or wrong-secret keys answer 401"""
    key = _create(client, "billing service")
    other = _create(client, "mailer")
    _works(client, key["key"], "billing service", "a valid key")
    _works(client, other["key"], "mailer", "another valid key")
    _error(client.get("/api/data"), 401, "GET /api/data without X-API-Key")
    _refused(client, "not-a-key", "a malformed key")
    _refused(client, "ft_live_zzzzzzzz_" + "A" * 43, "an unknown key (a prefix nobody has)")
    with about(hint="Finding the row by its prefix is not enough: compare the hash of the whole key with the stored one (`hmac.compare_digest`)."):
        _refused(client, key["prefix"] + "_" + "A" * 43, "a real prefix followed by a wrong secret")
        _refused(client, key["prefix"], "only the prefix of a real key")
        _refused(client, key["prefix"] + "_" + other["key"][17:], "a real prefix with the secret of another key")
    with about(hint="Read the key from `request.headers[\"X-API-Key\"]` only; a key in the URL leaks into logs and browser history."):
        _error(client.get(f"/api/data?api_key={key['key']}"), 401, "GET /api/data?api_key=<a valid key> (a key in the query string)")


@pytest.mark.req(6, 8)
def test_rotate(client):
    """Rotation answers a new key for the same entry; the new key works and the old one stops"""
    old = _create(client, "billing service")
    other = _create(client, "mailer")
    response = client.post(f"/keys/{old['id']}/rotate", headers=ADMIN)
    assert response.status_code == 200, f"POST /keys/{old['id']}/rotate should answer 200, got {response.status_code}: {_text(response)}"
    new = response.get_json(silent=True)
    assert isinstance(new, dict) and set(new) == {"id", "name", "prefix", "key"}, f"the rotation should answer exactly {{id, name, prefix, key}}, got {_text(response)}"
    assert new["id"] == old["id"] and new["name"] == "billing service", f"the rotation should keep the id {old['id']} and the name, got {new}"
    assert KEY_FORMAT.fullmatch(str(new["key"])) and new["prefix"] == new["key"][:16], f"the new key should have the ft_live_ format and its prefix, got {new}"
    assert new["key"] != old["key"] and new["prefix"] != old["prefix"], "the rotation should answer a new key with a new prefix"
    _works(client, new["key"], "billing service", "the new key after a rotation")
    with about(hint="Rotation replaces the stored prefix and hash, so the old key no longer matches anything."):
        _refused(client, old["key"], "the old key after a rotation")
    _works(client, other["key"], "mailer", "another key (a rotation must not touch it)")
    assert [k["prefix"] for k in _listed(client)] == [new["prefix"], other["prefix"]], "GET /keys should list the rotated key with its new prefix"
    _error(client.post("/keys/999/rotate", headers=ADMIN), 404, "POST /keys/999/rotate (an unknown id)")
    assert client.delete(f"/keys/{other['id']}", headers=ADMIN).status_code == 204, f"DELETE /keys/{other['id']} should answer 204"
    _error(client.post(f"/keys/{other['id']}/rotate", headers=ADMIN), 409, "POST /keys/<id>/rotate of a revoked key")
    _refused(client, other["key"], "a revoked key, after a refused rotation")


@pytest.mark.req(7, 8)
def test_revoke(client):
    """DELETE revokes: the key answers 401, is listed revoked, the others keep working"""
    key = _create(client, "billing service")
    other = _create(client, "mailer")
    response = client.delete(f"/keys/{key['id']}", headers=ADMIN)
    assert response.status_code == 204, f"DELETE /keys/{key['id']} should answer 204, got {response.status_code}: {_text(response)}"
    with about(hint="Keep the row with a revoked flag (or time) and refuse a revoked key in the X-API-Key check."):
        _refused(client, key["key"], "a revoked key")
    listed = {k.get("id"): k for k in _listed(client)}
    assert listed.get(key["id"], {}).get("revoked") is True, f"GET /keys should list the revoked key with \"revoked\": true, got {listed.get(key['id'])}"
    assert listed.get(other["id"], {}).get("revoked") is False, f"GET /keys should list the other key with \"revoked\": false, got {listed.get(other['id'])}"
    _works(client, other["key"], "mailer", "another key, after one was revoked")
    _error(client.delete("/keys/999", headers=ADMIN), 404, "DELETE /keys/999 (an unknown id)")
