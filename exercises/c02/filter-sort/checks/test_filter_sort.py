"""Checks for c02-filter-sort: ?status=, ?priority_min=, ?sort= on GET /api/tasks. Expectations are
computed from the unfiltered list the app itself answers. Each check names the brief's numbered
requirements it covers (@pytest.mark.req)."""
import pytest


def _items(client, query=""):
    url = "/api/tasks" + query
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} should answer 200, got {response.status_code}"
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and isinstance(body.get("items"), list), (
        f'GET {url} should answer {{"items": [...]}}, got {response.get_data(as_text=True)[:300]!r}'
    )
    return body["items"]


def _ids(items):
    return [task.get("id") for task in items]


def _all(client):
    items = _items(client)
    assert len(items) >= 6, f"GET /api/tasks should list all six tasks, got {len(items)}"
    return items


@pytest.mark.req(1)
def test_default_list_by_id(client):
    """Without parameters: every task, ordered by id"""
    ids = _ids(_all(client))
    assert ids == sorted(ids), f"GET /api/tasks should be ordered by id, got ids {ids}"


@pytest.mark.req(2)
def test_status_filter(client):
    """?status= keeps only the tasks with that status"""
    everything = _all(client)
    for status in ("todo", "done"):
        expected = sorted(t["id"] for t in everything if t["status"] == status)
        got = _ids(_items(client, f"?status={status}"))
        assert sorted(got) == expected, f"GET /api/tasks?status={status} should list ids {expected}, got {got}"


@pytest.mark.req(3)
def test_priority_min_and_combined(client):
    """?priority_min= keeps priority >= n, and combines with ?status="""
    everything = _all(client)
    expected = sorted(t["id"] for t in everything if t["priority"] >= 2)
    got = _ids(_items(client, "?priority_min=2"))
    assert sorted(got) == expected, (
        f"GET /api/tasks?priority_min=2 should list the tasks with priority 2 or more, ids {expected}, got {got}"
    )
    expected = sorted(t["id"] for t in everything if t["priority"] >= 2 and t["status"] == "todo")
    got = _ids(_items(client, "?status=todo&priority_min=2"))
    assert sorted(got) == expected, (
        f"GET /api/tasks?status=todo&priority_min=2 should apply both filters, ids {expected}, got {got}"
    )


@pytest.mark.req(4)
def test_sort_one_key(client):
    """?sort=field ascending, ?sort=-field descending"""
    for query, field, descending in (("?sort=title", "title", False), ("?sort=-title", "title", True),
                                     ("?sort=priority", "priority", False), ("?sort=-priority", "priority", True),
                                     ("?sort=-id", "id", True)):
        values = [t.get(field) for t in _items(client, query)]
        assert values == sorted(values, reverse=descending), (
            f"GET /api/tasks{query} should be sorted by {field} {'descending' if descending else 'ascending'}, "
            f"got {values}"
        )


@pytest.mark.req(5)
def test_sort_several_keys(client):
    """?sort=-priority,title: priority descending, then title ascending"""
    everything = _all(client)
    expected = _ids(sorted(everything, key=lambda t: (-t["priority"], t["title"])))
    got = _ids(_items(client, "?sort=-priority,title"))
    assert got == expected, (
        f"GET /api/tasks?sort=-priority,title should order by priority descending, then by title: "
        f"ids {expected}, got {got}"
    )
    expected = _ids(sorted(everything, key=lambda t: (t["priority"], -t["id"])))
    got = _ids(_items(client, "?sort=priority,-id"))
    assert got == expected, f"GET /api/tasks?sort=priority,-id should list ids {expected}, got {got}"


@pytest.mark.req(6)
def test_bad_parameters_400(client):
    """Unknown sort field, unknown status, non-integer priority_min: 400 with a JSON object"""
    for query in ("?sort=password", "?sort=-nope", "?sort=title,__class__", "?status=archived",
                  "?priority_min=high"):
        response = client.get("/api/tasks" + query)
        assert response.status_code == 400, (
            f"GET /api/tasks{query} should answer 400 (a parameter the API cannot honour), "
            f"got {response.status_code}"
        )
        assert isinstance(response.get_json(silent=True), dict), (
            f"the 400 answer to GET /api/tasks{query} should be a JSON object saying what is wrong, "
            f"got {response.get_data(as_text=True)[:200]!r}"
        )
