"""Checks for tm-ownership: read, update and delete one task, only your own (another user's task
is 404, the same answer as a task that does not exist). Each check names the brief's numbered
requirements it covers (@pytest.mark.req)."""
import pytest

ALICE = {"username": "alice_01", "password": "correct-horse-42"}
BOB = {"username": "bob_02", "password": "another-secret-9"}
NOT_FOUND = {"error": "Task not found"}
KEYS = ["description", "id", "status", "title"]


def _sign_in(client, user):
    response = client.post("/api/auth/register", json=user)
    assert response.status_code == 201, f"registering {user['username']} should answer 201 (stage 1), got {response.status_code}"
    response = client.post("/api/auth/login", json=user)
    assert response.status_code == 200, f"logging in as {user['username']} should answer 200 (stage 1), got {response.status_code}"


def _create(client, **fields):
    response = client.post("/api/tasks", json={"title": "Write the report", **fields})
    assert response.status_code == 201, f"POST /api/tasks should answer 201 (stage 2), got {response.status_code}"
    return response.get_json()


def _get(client, task_id, status=200):
    response = client.get(f"/api/tasks/{task_id}")
    assert response.status_code == status, f"GET /api/tasks/{task_id} should answer {status}, got {response.status_code}"
    return response.get_json()


def _alice_and_bob(app, client):
    """alice (client) owns one task; bob (a second client) is logged in."""
    _sign_in(client, ALICE)
    _create(client, title="warm-up")  # so that ids differ from user ids
    task = _create(client, title="alice's secret", description="private", status="doing")
    bob = app.test_client()
    _sign_in(bob, BOB)
    return task, bob


@pytest.mark.req(1)
def test_login_required(client):
    """Without a login, GET, PATCH and DELETE /api/tasks/1 answer 401"""
    for method in ("get", "patch", "delete"):
        response = getattr(client, method)("/api/tasks/1", json={"title": "x"} if method == "patch" else None)
        assert response.status_code == 401, (
            f"{method.upper()} /api/tasks/1 without logging in should answer 401, got {response.status_code}: "
            "put @login_required on the view"
        )


@pytest.mark.req(2)
def test_get_own_task(client):
    """GET /api/tasks/<id> answers 200 with the logged-in user's task"""
    _sign_in(client, ALICE)
    task = _create(client, description="by Friday", status="doing")
    got = _get(client, task["id"])
    assert got == task, f"GET /api/tasks/{task['id']} should answer the task as created, {task}, got {got}"
    assert sorted(got) == KEYS, f"a task should have exactly the keys {KEYS}, got {sorted(got)}"


@pytest.mark.req(3)
def test_missing_task_is_404(client):
    """A task id that does not exist answers 404 {"error": "Task not found"} for GET, PATCH and DELETE"""
    _sign_in(client, ALICE)
    for method in ("get", "patch", "delete"):
        response = getattr(client, method)("/api/tasks/999", json={"status": "done"} if method == "patch" else None)
        assert response.status_code == 404, f"{method.upper()} /api/tasks/999 (no such task) should answer 404, got {response.status_code}"
        assert response.is_json and response.get_json() == NOT_FOUND, (
            f"the 404 should be exactly {NOT_FOUND}, got {response.get_data(as_text=True)[:200]}"
        )


@pytest.mark.req(4)
def test_other_users_task_is_404(app, client):
    """bob cannot read, change or delete alice's task: 404, the very same answer as a missing task"""
    task, bob = _alice_and_bob(app, client)
    url = f"/api/tasks/{task['id']}"
    for method, body in (("get", None), ("patch", {"title": "hacked", "status": "done"}), ("delete", None)):
        response = getattr(bob, method)(url, json=body)
        assert response.status_code != 403, (
            f"{method.upper()} of another user's task answered 403, which tells bob the task exists: answer 404 as "
            "for a missing task (look the task up by id AND user_id)"
        )
        assert response.status_code == 404, (
            f"bob's {method.upper()} {url} (alice's task) should answer 404, got {response.status_code}: look the task "
            "up by its id and the logged-in user's id"
        )
        assert response.is_json and response.get_json() == NOT_FOUND, (
            f"bob's {method.upper()} of another user's task should answer exactly the 404 of a missing task, {NOT_FOUND}, "
            f"got {response.get_data(as_text=True)[:200]}"
        )
    assert _get(client, task["id"]) == task, (
        "after bob's PATCH and DELETE, alice's task should be unchanged, check the owner before changing or deleting"
    )


@pytest.mark.req(5)
def test_patch_is_partial(app, client):
    """PATCH changes only the fields sent, answers 200 with the task, and saves it"""
    _sign_in(client, ALICE)
    task = _create(client, description="by Friday")
    response = client.patch(f"/api/tasks/{task['id']}", json={"status": "done"})
    assert response.status_code == 200, f"PATCH /api/tasks/{task['id']} should answer 200, got {response.status_code}"
    expected = {**task, "status": "done"}
    assert response.get_json() == expected, (
        f"PATCH with only status should change only status: expected {expected}, got {response.get_json()}"
    )
    assert _get(client, task["id"]) == expected, (
        "the next GET should see the PATCHed task, it did not: call db.session.commit() after changing it, so it is saved"
    )
    response = client.patch(f"/api/tasks/{task['id']}", json={"title": "  Final report ", "description": ""})
    assert response.status_code == 200, f"PATCH with title and description should answer 200, got {response.status_code}"
    expected = {**expected, "title": "Final report", "description": ""}
    assert response.get_json() == expected, f"expected {expected} (the title trimmed), got {response.get_json()}"
    other = app.test_client()
    assert other.post("/api/auth/login", json=ALICE).status_code == 200, "logging in again should answer 200"
    assert _get(other, task["id"]) == expected, (
        "a new request should see the PATCHed task: call db.session.commit() after changing it, so it is saved"
    )


@pytest.mark.req(6)
def test_patch_validation(client):
    """PATCH with invalid fields answers 400 and changes nothing"""
    _sign_in(client, ALICE)
    task = _create(client)
    url = f"/api/tasks/{task['id']}"
    assert client.patch(url, json={"title": "t" * 200}).status_code == 200, "PATCH with a 200-character title should answer 200"
    task = _get(client, task["id"])
    for data, what in (
        ({"title": "t" * 201}, "a 201-character title"),
        ({"title": "   "}, "a title of spaces only"),
        ({"title": None}, "a null title"),
        ({"description": "d" * 2001}, "a 2001-character description"),
        ({"status": "finished"}, 'status "finished"'),
        ({"status": "done", "title": ""}, 'a valid status with an empty title'),
    ):
        response = client.patch(url, json=data)
        assert response.status_code == 400, f"PATCH {url} with {what} should answer 400, got {response.status_code}"
        assert _get(client, task["id"]) == task, f"a PATCH answered 400 ({what}) should change nothing, but the task changed"
    response = client.patch(url, data="{not json", content_type="application/json")
    assert response.status_code == 400, f"PATCH with a body that is not JSON should answer 400, got {response.status_code}"


@pytest.mark.req(7)
def test_delete(client):
    """DELETE answers 204 with no body; the task is gone"""
    _sign_in(client, ALICE)
    keep = _create(client, title="keep me")
    task = _create(client, title="delete me")
    response = client.delete(f"/api/tasks/{task['id']}")
    assert response.status_code == 204, f"DELETE /api/tasks/{task['id']} should answer 204, got {response.status_code}"
    assert response.get_data() == b"", f"a 204 has no body, got {response.get_data()[:100]!r}"
    _get(client, task["id"], 404)
    tasks = client.get("/api/tasks").get_json()["tasks"]
    assert [t["id"] for t in tasks] == [keep["id"]], f"after the DELETE only the other task should be listed, got {tasks}"
