"""Checks for c03-tenants: a shared-schema multi-tenant notes API, tenant from X-Tenant-ID.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

A = {"X-Tenant-ID": "acme"}
B = {"X-Tenant-ID": "globex"}


def _create(client, headers, title, **extra):
    response = client.post("/api/notes", json={"title": title, **extra}, headers=headers)
    assert response.status_code == 201, (
        f"POST /api/notes as tenant {headers['X-Tenant-ID']!r} should answer 201, got "
        f"{response.status_code}: {response.get_data(as_text=True)[:200]!r}"
    )
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and isinstance(body.get("id"), int), (
        f'POST /api/notes should answer {{"id": <int>, "title": ..., "tenant_id": ...}}, got {body!r}'
    )
    return body


def _list(client, headers):
    response = client.get("/api/notes", headers=headers)
    assert response.status_code == 200, f"GET /api/notes should answer 200, got {response.status_code}"
    items = (response.get_json(silent=True) or {}).get("items")
    assert isinstance(items, list), f'GET /api/notes should answer {{"items": [...]}}, got {response.get_data(as_text=True)[:200]!r}'
    return items


@pytest.mark.req(1)
def test_tenant_header_required(client):
    """No X-Tenant-ID (or a blank one): 400 with a JSON error, on every route"""
    for label, headers in (("no X-Tenant-ID header", {}), ("a blank X-Tenant-ID header", {"X-Tenant-ID": "  "})):
        for method, url, kwargs in (("GET", "/api/notes", {}), ("POST", "/api/notes", {"json": {"title": "x"}}),
                                    ("GET", "/api/notes/1", {}), ("DELETE", "/api/notes/1", {})):
            response = client.open(url, method=method, headers=headers, **kwargs)
            assert response.status_code == 400, (
                f"{method} {url} with {label} should answer 400 (the tenant is required), got {response.status_code}"
            )
            body = response.get_json(silent=True)
            assert isinstance(body, dict) and "error" in body, (
                f'the 400 answer should be JSON {{"error": "<message>"}}, got {response.get_data(as_text=True)[:200]!r}'
            )


@pytest.mark.req(2)
def test_create_stores_tenant(client, db_inspect):
    """POST answers 201 with the tenant_id of the header, stored in the tenant_id column"""
    note = _create(client, A, "plan")
    assert note.get("title") == "plan" and note.get("tenant_id") == "acme", (
        f'POST /api/notes as acme should answer {{"id": ..., "title": "plan", "tenant_id": "acme"}}, got {note}'
    )
    columns = db_inspect.columns("note")
    assert "tenant_id" in columns, f"the note table needs a tenant_id column, it has {columns}"
    rows = db_inspect.query("SELECT tenant_id FROM note WHERE id = :id", {"id": note["id"]})
    assert rows and rows[0]["tenant_id"] == "acme", f"the saved row should have tenant_id 'acme', got {rows}"
    for body in ({}, {"title": "   "}):
        response = client.post("/api/notes", json=body, headers=A)
        assert response.status_code == 400, f"POST /api/notes with {body} should answer 400, got {response.status_code}"


@pytest.mark.req(3)
def test_list_only_own_notes(client):
    """Each tenant lists only its own notes, in id order"""
    a1 = _create(client, A, "a1")
    b1 = _create(client, B, "b1")
    a2 = _create(client, A, "a2")
    listed_a = [n.get("id") for n in _list(client, A)]
    listed_b = [n.get("id") for n in _list(client, B)]
    assert b1["id"] not in listed_a, (
        f"tenant acme listed globex's note {b1['id']}: GET /api/notes must list only the calling tenant's notes"
    )
    assert listed_a == [a1["id"], a2["id"]], f"acme should list exactly its notes {[a1['id'], a2['id']]} in id order, got {listed_a}"
    assert listed_b == [b1["id"]], f"globex should list only its note {[b1['id']]}, got {listed_b}"
    assert _list(client, {"X-Tenant-ID": "initech"}) == [], "a tenant with no notes should list none"


@pytest.mark.req(4)
def test_other_tenant_gets_404(client):
    """GET of another tenant's note answers 404, like an unknown id; the owner gets it"""
    note = _create(client, A, "secret")
    own = client.get(f"/api/notes/{note['id']}", headers=A)
    assert own.status_code == 200 and (own.get_json(silent=True) or {}).get("title") == "secret", (
        f"acme should read its own note {note['id']} (200), got {own.status_code}"
    )
    other = client.get(f"/api/notes/{note['id']}", headers=B)
    assert other.status_code == 404, (
        f"tenant globex read acme's note {note['id']} and got {other.status_code}: another tenant's note must answer 404"
    )
    assert client.get("/api/notes/9999", headers=A).status_code == 404, "an unknown id should answer 404"


@pytest.mark.req(5)
def test_other_tenant_cannot_delete(client):
    """DELETE of another tenant's note answers 404 and keeps it; the owner deletes with 204"""
    note = _create(client, A, "keep me")
    response = client.delete(f"/api/notes/{note['id']}", headers=B)
    assert response.status_code == 404, (
        f"tenant globex deleted acme's note {note['id']} and got {response.status_code}: another tenant's note must answer 404"
    )
    assert [n.get("id") for n in _list(client, A)] == [note["id"]], "after globex's refused DELETE, acme's note should still be there"
    response = client.delete(f"/api/notes/{note['id']}", headers=A)
    assert response.status_code == 204, f"acme deleting its own note should answer 204, got {response.status_code}"
    assert _list(client, A) == [], "after the owner's DELETE the note should be gone"


@pytest.mark.req(6)
def test_tenant_from_header_only(client):
    """A tenant_id in the body is ignored: the header decides"""
    note = _create(client, A, "sneaky", tenant_id="globex")
    assert note.get("tenant_id") == "acme", (
        f"the body said tenant_id 'globex' but the header said 'acme': the tenant comes from the header only, got {note.get('tenant_id')!r}"
    )
    assert [n.get("id") for n in _list(client, B)] == [], "globex should not see a note created by acme with tenant_id in the body"
