"""Checks for p1-assignment: an assignee per task; the owner does everything, the assignee reads and
changes the status, anyone else gets 404. Each check names the brief's requirements (@pytest.mark.req)."""
import pytest

from flask_tutor_pytest.helpers import about

TASKS = "/api/tasks"
PASSWORD = "correct horse"


@pytest.fixture(autouse=True)
def _fresh_database(app):
    """A server database (DATABASE_URL, e.g. PostgreSQL) outlives one check: start each from empty tables.
    SQLite databases are new for every check already."""
    db = app.extensions.get("sqlalchemy")
    if db is None or not hasattr(db, "drop_all"):
        return
    with app.app_context():
        if db.engine.url.get_backend_name() != "sqlite":
            db.drop_all()
            db.create_all()


def _json(response, what):
    body = response.get_json(silent=True)
    assert body is not None, f"{what} should answer JSON, got {response.status_code} {response.get_data(as_text=True)[:200]!r}"
    return body


def _user(client, username):
    response = client.post("/api/auth/register", json={"username": username, "password": PASSWORD})
    assert response.status_code == 201, f"POST /api/auth/register should answer 201 (stage 2), got {response.status_code}"
    user = _json(response, "register")
    response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, f"POST /api/auth/login should answer 200 (stage 2), got {response.status_code}"
    return user["id"], {"Authorization": f"Bearer {_json(response, 'login')['access_token']}"}


def _create(client, headers, **task):
    task.setdefault("title", "Write the report")
    response = client.post(TASKS, json=task, headers=headers)
    with about(hint="Accept `assignee_id` in the input models (an integer or null) and store it on the Task."):
        assert response.status_code == 201, f"POST {TASKS} with {task} should answer 201, got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    return _json(response, f"POST {TASKS}")


@pytest.fixture
def team(client):
    """alice (owner), bob (assignee), carol (neither)."""
    return {name: _user(client, name) for name in ("alice", "bob", "carol")}


@pytest.mark.req(1)
def test_assignee_field(client, team):
    """Tasks carry assignee_id: null by default, or the id sent with POST; an unknown or non-integer id answers 400"""
    alice_id, a = team["alice"]
    bob_id, _ = team["bob"]
    plain = _create(client, a, title="Plain")
    assert plain == {"id": plain["id"], "title": "Plain", "description": "", "status": "todo", "owner_id": alice_id, "assignee_id": None}, (
        f"a task created without assignee_id should be {{id, title, description, status, owner_id, assignee_id: null}}, got {plain}"
    )
    assigned = _create(client, a, title="For Bob", assignee_id=bob_id)
    assert assigned.get("assignee_id") == bob_id, f"POST with assignee_id={bob_id} should answer it, got {assigned}"
    for value in (999, "bob", 1.5):
        response = client.post(TASKS, json={"title": "x", "assignee_id": value}, headers=a)
        with about(hint="Look the user up (`db.session.get(User, assignee_id)`) and `ns.abort(400, ...)` when there is none."):
            assert response.status_code == 400, f"POST {TASKS} with assignee_id={value!r} should answer 400, got {response.status_code}"
    assert len(_json(client.get(TASKS, headers=a), "GET")) == 2, "a refused POST must create nothing"


@pytest.mark.req(2)
def test_owner_assigns(client, team):
    """The owner sets, changes and clears assignee_id with PATCH; an unknown id answers 400"""
    _, a = team["alice"]
    bob_id, _ = team["bob"]
    carol_id, _ = team["carol"]
    task = _create(client, a)
    item = f"{TASKS}/{task['id']}"
    for value in (bob_id, carol_id, None):
        response = client.patch(item, json={"assignee_id": value}, headers=a)
        assert response.status_code == 200, f"the owner's PATCH {item} with assignee_id={value} should answer 200, got {response.status_code}"
        assert _json(client.get(item, headers=a), "GET").get("assignee_id") == value, f"after PATCH assignee_id={value}, GET {item} should show it"
    response = client.patch(item, json={"assignee_id": 999}, headers=a)
    assert response.status_code == 400, f"PATCH {item} with assignee_id=999 (no such user) should answer 400, got {response.status_code}"
    assert _json(client.get(item, headers=a), "GET").get("assignee_id") is None, "a refused PATCH must change nothing"


@pytest.mark.req(3)
def test_assignee_sees(client, team):
    """The assignee lists and reads the task, with their own, oldest first"""
    _, a = team["alice"]
    bob_id, b = team["bob"]
    first = _create(client, a, title="For Bob", assignee_id=bob_id)
    own = _create(client, b, title="Bob's own")
    later = _create(client, a, title="Later")
    client.patch(f"{TASKS}/{later['id']}", json={"assignee_id": bob_id}, headers=a)
    later["assignee_id"] = bob_id
    _create(client, a, title="Not for Bob")
    with about(hint="List the tasks the user owns **or** works on: `db.or_(Task.owner_id == g.user.id, Task.assignee_id == g.user.id)`."):
        listed = _json(client.get(TASKS, headers=b), "GET /api/tasks")
        assert listed == [first, own, later], f"bob's list should be the two tasks assigned to him and his own, oldest first: {[first, own, later]}, got {listed}"
        response = client.get(f"{TASKS}/{first['id']}", headers=b)
        assert response.status_code == 200, f"bob's GET of a task assigned to him should answer 200, got {response.status_code}"
    done = _json(client.get(f"{TASKS}?status=todo", headers=b), "GET ?status=todo")
    assert done == [first, own, later], f"?status=todo should still filter bob's list, got {done}"


@pytest.mark.req(4)
def test_assignee_changes_only_status(client, team):
    """The assignee may PATCH the status only: other fields answer 403; DELETE answers 403"""
    _, a = team["alice"]
    bob_id, b = team["bob"]
    task = _create(client, a, title="For Bob", assignee_id=bob_id)
    item = f"{TASKS}/{task['id']}"
    response = client.patch(item, json={"status": "in_progress"}, headers=b)
    assert response.status_code == 200, f"the assignee's PATCH {item} with a status should answer 200, got {response.status_code}"
    expected = {**task, "status": "in_progress"}
    for body in ({"title": "Mine now"}, {"description": "x"}, {"assignee_id": None}, {"status": "done", "title": "x"}):
        response = client.patch(item, json=body, headers=b)
        with about(hint="Compare `set(ns.payload)` with the fields an assignee may change (`{\"status\"}`) and `ns.abort(403, ...)`."):
            assert response.status_code == 403, f"the assignee's PATCH {item} with {body} should answer 403, got {response.status_code}"
    response = client.delete(item, headers=b)
    assert response.status_code == 403, f"the assignee's DELETE {item} should answer 403, got {response.status_code}"
    assert _json(client.get(item, headers=a), "GET") == expected, f"refused requests must change nothing: expected {expected}"
    assert client.patch(item, json={"title": "Renamed"}, headers=a).status_code == 200, "the owner may still change the title"


@pytest.mark.req(5)
def test_others_get_404(client, team):
    """Someone neither owner nor assignee gets 404 and an empty list"""
    _, a = team["alice"]
    bob_id, _ = team["bob"]
    _, c = team["carol"]
    task = _create(client, a, assignee_id=bob_id)
    item = f"{TASKS}/{task['id']}"
    for method, body in (("get", None), ("patch", {"status": "done"}), ("delete", None)):
        response = getattr(client, method)(item, json=body, headers=c)
        assert response.status_code == 404, f"carol's {method.upper()} {item} (neither owner nor assignee) should answer 404, got {response.status_code}"
    assert _json(client.get(TASKS, headers=c), "GET") == [], "carol's list should be empty"


@pytest.mark.req(6)
def test_openapi(client):
    """swagger.json documents assignee_id and the 403 answers"""
    spec = _json(client.get("/swagger.json"), "GET /swagger.json")
    props = ((spec.get("definitions") or {}).get("Task") or {}).get("properties") or {}
    assert "assignee_id" in props, f"the Task model should document assignee_id, got {sorted(props)}"
    item = (spec.get("paths") or {}).get("/api/tasks/{task_id}") or {}
    for method in ("patch", "delete"):
        codes = set((item.get(method) or {}).get("responses") or {})
        assert "403" in codes, f"{method.upper()} /api/tasks/{{task_id}} should document its 403 answer, got {sorted(codes)}"
