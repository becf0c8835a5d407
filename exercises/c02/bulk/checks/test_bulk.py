"""Checks for c02-bulk: all-or-nothing bulk create and delete on /api/tasks/bulk.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

BULK = "/api/tasks/bulk"


def _tasks(client):
    response = client.get("/api/tasks")
    assert response.status_code == 200, f"GET /api/tasks should answer 200, got {response.status_code}"
    return (response.get_json(silent=True) or {}).get("items") or []


def _bulk_create(client, items):
    response = client.post(BULK, json=items)
    assert response.status_code == 201, (
        f"POST {BULK} with {len(items)} valid tasks should answer 201, got {response.status_code}: "
        f"{response.get_data(as_text=True)[:200]!r}"
    )
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and isinstance(body.get("items"), list), (
        f'POST {BULK} should answer {{"items": [...]}}, got {response.get_data(as_text=True)[:300]!r}'
    )
    return body["items"]


@pytest.mark.req(1)
def test_bulk_create(client):
    """A valid array answers 201 with the created tasks, in order, and they are listed"""
    sent = [{"title": "first"}, {"title": "second", "done": True}, {"title": "third"}]
    created = _bulk_create(client, sent)
    assert [t.get("title") for t in created] == ["first", "second", "third"], (
        f"the created tasks should come back in the order sent, got {created}"
    )
    ids = [t.get("id") for t in created]
    assert all(isinstance(i, int) for i in ids) and len(set(ids)) == 3, f"each task needs its own integer id, got {ids}"
    assert created[1].get("done") is True, f"the second task was sent with done=true, got {created[1]}"
    listed = {t.get("id") for t in _tasks(client)}
    assert set(ids) <= listed, f"GET /api/tasks should list the created ids {ids}, got {sorted(listed)}"


@pytest.mark.req(2)
def test_not_an_array(client):
    """A body that is not a non-empty JSON array answers 400"""
    for label, kwargs in (("an object", {"json": {"title": "x"}}), ("an empty array", {"json": []}),
                          ("invalid JSON", {"data": "[{", "content_type": "application/json"})):
        response = client.post(BULK, **kwargs)
        assert response.status_code == 400, f"POST {BULK} with {label} should answer 400, got {response.status_code}"


@pytest.mark.req(3)
def test_size_limit(client):
    """More than 100 tasks: 400 and nothing created; 100 is fine"""
    response = client.post(BULK, json=[{"title": f"t{n}"} for n in range(101)])
    assert response.status_code == 400, (
        f"POST {BULK} with 101 tasks should answer 400 (at most 100 per request), got {response.status_code}"
    )
    assert _tasks(client) == [], "after a refused batch of 101 tasks, nothing should be created"
    assert len(_bulk_create(client, [{"title": f"t{n}"} for n in range(100)])) == 100


@pytest.mark.req(4)
def test_invalid_item_creates_nothing(client):
    """One bad item: 400, errors keyed by position, nothing created"""
    before = len(_tasks(client))
    response = client.post(BULK, json=[{"title": "good"}, {"title": "  "}, {"title": "also good"},
                                       {"title": "x", "done": "yes"}])
    assert response.status_code == 400, (
        f"POST {BULK} with a blank title at position 1 should answer 400, got {response.status_code}"
    )
    errors = (response.get_json(silent=True) or {}).get("errors")
    assert isinstance(errors, dict), (
        f'the 400 answer should be {{"errors": {{"<index>": "<message>"}}}}, got {response.get_data(as_text=True)[:300]!r}'
    )
    keys = sorted(str(k) for k in errors)
    assert keys == ["1", "3"], (
        f'errors should have one entry per bad item, keyed "1" and "3" (their positions), got keys {keys}'
    )
    after = len(_tasks(client))
    assert after == before, (
        f"a batch with a bad item should create nothing (all or nothing), but the task count went from {before} to {after}"
    )


@pytest.mark.req(5)
def test_bulk_delete(client):
    """DELETE with ids deletes them and answers 200 {"deleted": ids}"""
    ids = [t["id"] for t in _bulk_create(client, [{"title": "a"}, {"title": "b"}, {"title": "c"}])]
    response = client.delete(BULK, json={"ids": ids[:2]})
    assert response.status_code == 200, f"DELETE {BULK} with ids {ids[:2]} should answer 200, got {response.status_code}"
    deleted = (response.get_json(silent=True) or {}).get("deleted")
    assert sorted(deleted or []) == sorted(ids[:2]), f'the answer should be {{"deleted": {ids[:2]}}}, got {deleted!r}'
    left = [t.get("id") for t in _tasks(client)]
    assert left == [ids[2]], f"after deleting {ids[:2]}, only task {ids[2]} should be left, got {left}"


@pytest.mark.req(6)
def test_delete_unknown_deletes_nothing(client):
    """Any unknown id: 404 with missing, and nothing deleted"""
    ids = [t["id"] for t in _bulk_create(client, [{"title": "a"}, {"title": "b"}])]
    response = client.delete(BULK, json={"ids": [ids[0], 9999, ids[1]]})
    assert response.status_code == 404, (
        f"DELETE {BULK} with the unknown id 9999 should answer 404, got {response.status_code}"
    )
    missing = (response.get_json(silent=True) or {}).get("missing")
    assert missing == [9999], f'the 404 answer should say {{"missing": [9999]}}, got {missing!r}'
    left = sorted(t.get("id") for t in _tasks(client))
    assert left == sorted(ids), (
        f"with an unknown id in the batch nothing should be deleted (all or nothing), tasks left: {left}, expected {sorted(ids)}"
    )
