"""Checks for c03-audit: an audit row with old/new values for every change, from SQLAlchemy events.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import datetime

import pytest

P = "/api/products"


def _create(client, name="pen", price=3):
    response = client.post(P, json={"name": name, "price": price})
    assert response.status_code == 201, (
        f"POST {P} should answer 201, got {response.status_code}: {response.get_data(as_text=True)[:200]!r}"
    )
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and isinstance(body.get("id"), int), f"POST {P} should answer the product with its id, got {body!r}"
    return body


def _audit(client, row_id=None):
    url = "/api/audit" if row_id is None else f"/api/audit?row_id={row_id}"
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} should answer 200, got {response.status_code}"
    items = (response.get_json(silent=True) or {}).get("items")
    assert isinstance(items, list), f'GET {url} should answer {{"items": [...]}}, got {response.get_data(as_text=True)[:200]!r}'
    return items


def _brief(entries):
    return [{k: e.get(k) for k in ("row_id", "action", "old", "new")} for e in entries]


@pytest.mark.req(1)
def test_products_api(client):
    """Create 201, patch 200, delete 204, unknown 404, bad bodies 400"""
    product = _create(client)
    assert product == {"id": product["id"], "name": "pen", "price": 3}, f"POST should answer the product, got {product}"
    for body in ({"name": "", "price": 1}, {"name": "x", "price": -1}, {"name": "x"}):
        assert client.post(P, json=body).status_code == 400, f"POST {P} with {body} should answer 400"
    response = client.patch(f"{P}/{product['id']}", json={"price": 4})
    assert response.status_code == 200 and (response.get_json(silent=True) or {}).get("price") == 4, (
        f"PATCH {P}/{product['id']} with a new price should answer 200 with the product, got {response.status_code}"
    )
    assert client.delete(f"{P}/{product['id']}").status_code == 204, "DELETE of a product should answer 204"
    assert client.patch(f"{P}/9999", json={"price": 1}).status_code == 404, "PATCH of an unknown id should answer 404"
    assert client.delete(f"{P}/9999").status_code == 404, "DELETE of an unknown id should answer 404"


@pytest.mark.req(2)
def test_insert_audited(client):
    """One insert row with new = the product's values"""
    product = _create(client, "pen", 3)
    entries = _brief(_audit(client))
    assert entries == [{"row_id": product["id"], "action": "insert", "old": None, "new": product}], (
        f'creating a product should write one audit row {{"action": "insert", "old": null, "new": {product}}}, got {entries}'
    )


@pytest.mark.req(3)
def test_update_audited_changed_fields_only(client):
    """One update row with only the changed fields; no row for a no-op update"""
    product = _create(client, "pen", 3)
    client.patch(f"{P}/{product['id']}", json={"price": 5, "name": "pen"})
    updates = [e for e in _brief(_audit(client)) if e["action"] == "update"]
    assert updates, "updating a product should write an audit row with action \"update\""
    assert updates == [{"row_id": product["id"], "action": "update", "old": {"price": 3}, "new": {"price": 5}}], (
        'a PATCH changing the price from 3 to 5 (name unchanged) should write one row with only the changed fields, '
        f'"old": {{"price": 3}}, "new": {{"price": 5}}; got {updates}'
    )
    client.patch(f"{P}/{product['id']}", json={"price": 5})
    after = [e for e in _brief(_audit(client)) if e["action"] == "update"]
    assert len(after) == 1, f"an update that changes nothing should write no audit row, got {after}"


@pytest.mark.req(4)
def test_delete_audited(client):
    """One delete row with old = the values it had"""
    product = _create(client, "pen", 3)
    client.delete(f"{P}/{product['id']}")
    deletes = [e for e in _brief(_audit(client)) if e["action"] == "delete"]
    assert deletes == [{"row_id": product["id"], "action": "delete", "old": product, "new": None}], (
        f'deleting a product should write one audit row {{"action": "delete", "old": {product}, "new": null}}, got {deletes}'
    )


@pytest.mark.req(5)
def test_audit_listing(client):
    """Entries oldest first, full shape, ISO time, row_id filter"""
    first = _create(client, "pen", 3)
    second = _create(client, "ink", 7)
    client.patch(f"{P}/{first['id']}", json={"price": 4})
    items = _audit(client)
    assert [e.get("action") for e in items] == ["insert", "insert", "update"], (
        f"GET /api/audit should list the entries oldest first, got actions {[e.get('action') for e in items]}"
    )
    ids = [e.get("id") for e in items]
    assert all(isinstance(i, int) for i in ids) and ids == sorted(ids), f"entries need integer ids, in order, got {ids}"
    for entry in items:
        assert entry.get("table") == "product", f'each entry should say "table": "product", got {entry}'
        stamp = entry.get("changed_at")
        try:
            datetime.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
        except ValueError:
            raise AssertionError(f'"changed_at" should be an ISO 8601 time, got {stamp!r}') from None
    only = _audit(client, first["id"])
    assert [e.get("row_id") for e in only] == [first["id"], first["id"]], (
        f"GET /api/audit?row_id={first['id']} should list only that product's 2 entries, got {_brief(only)}"
    )
    assert [e.get("row_id") for e in _audit(client, second["id"])] == [second["id"]]


@pytest.mark.req(6)
def test_changes_outside_views_audited(app, app_module, client):
    """Changes through db.session outside the views are audited; rolled back ones are not"""
    db, Product = app_module.db, app_module.Product
    with app.app_context():
        product = Product(name="direct", price=1)
        db.session.add(product)
        db.session.commit()
        pid = product.id
        product.price = 2
        db.session.commit()
        db.session.delete(product)
        db.session.commit()
    entries = _brief(_audit(client, pid))
    assert [e["action"] for e in entries] == ["insert", "update", "delete"], (
        "a product added, changed and deleted through db.session outside the views should write insert, update "
        f"and delete audit rows (audit with SQLAlchemy events, not in the views); got {entries}"
    )
    assert entries[1]["old"] == {"price": 1} and entries[1]["new"] == {"price": 2}, f"the update row should hold the price change 1 -> 2, got {entries[1]}"
    before = len(_audit(client))
    with app.app_context():
        db.session.add(Product(name="ghost", price=9))
        db.session.flush()
        db.session.rollback()
    after = _audit(client)
    assert len(after) == before, (
        f"a change that was rolled back should leave no audit row (write it in the same transaction), got {_brief(after[before:])}"
    )
