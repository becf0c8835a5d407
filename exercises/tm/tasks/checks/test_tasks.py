"""Checks for tm-tasks: create and list the logged-in user's tasks. Each check names the brief's
numbered requirements it covers (@pytest.mark.req)."""
import pytest

ALICE = {"username": "alice_01", "password": "correct-horse-42"}
BOB = {"username": "bob_02", "password": "another-secret-9"}


def _json(response, what):
    assert response.is_json, (
        f"{what} should answer JSON, got Content-Type {response.content_type!r} (status {response.status_code})"
    )
    return response.get_json()


def _sign_in(client, user):
    """Register (stage 1) and log in as user on this client."""
    response = client.post("/api/auth/register", json=user)
    assert response.status_code == 201, f"registering {user['username']} should answer 201 (stage 1), got {response.status_code}"
    response = client.post("/api/auth/login", json=user)
    assert response.status_code == 200, f"logging in as {user['username']} should answer 200 (stage 1), got {response.status_code}"
    return response.get_json()["id"]


def _create(client, data, status=201):
    response = client.post("/api/tasks", json=data)
    assert response.status_code == status, (
        f"POST /api/tasks with {str(data)[:120]} should answer {status}, got {response.status_code}: "
        f"{response.get_data(as_text=True)[:200]}"
    )
    return _json(response, "POST /api/tasks")


def _list(client):
    response = client.get("/api/tasks")
    assert response.status_code == 200, f"GET /api/tasks while logged in should answer 200, got {response.status_code}"
    body = _json(response, "GET /api/tasks")
    assert isinstance(body, dict) and isinstance(body.get("tasks"), list), (
        f'GET /api/tasks should answer {{"tasks": [...]}}, got {str(body)[:200]}'
    )
    return body["tasks"]


@pytest.mark.req(1)
def test_login_required(client):
    """Without a login, POST and GET /api/tasks answer 401 with a JSON error"""
    for method in ("post", "get"):
        response = getattr(client, method)("/api/tasks", json={"title": "x"} if method == "post" else None)
        assert response.status_code == 401, (
            f"{method.upper()} /api/tasks without logging in should answer 401, got {response.status_code}: "
            "put @login_required (stage 1's auth.py) on the view"
        )
        body = _json(response, f"The 401 of {method.upper()} /api/tasks")
        assert isinstance(body, dict) and isinstance(body.get("error"), str), f'the 401 should be {{"error": "..."}}, got {body}'


@pytest.mark.req(2)
def test_create_task(client):
    """POST /api/tasks answers 201 with the task; description and status have defaults"""
    _sign_in(client, ALICE)
    task = _create(client, {"title": "  Write the report  "})
    assert isinstance(task.get("id"), int), f'the new task should have an integer "id", got {task}'
    expected = {"title": "Write the report", "description": "", "status": "todo"}
    got = {k: task.get(k) for k in expected}
    assert got == expected, f"a task created with only a title (spaces around it) should be {expected}, got {task}"
    full = _create(client, {"title": "Call Bob", "description": "about the trip", "status": "doing"})
    got = {k: full.get(k) for k in ("title", "description", "status")}
    assert got == {"title": "Call Bob", "description": "about the trip", "status": "doing"}, f"the task should keep the fields sent, got {full}"
    assert sorted(full) == ["description", "id", "status", "title"], (
        f"a task should have exactly the keys id, title, description and status, got {sorted(full)}"
    )


@pytest.mark.req(3)
def test_title_rules(client):
    """The title is required, 1 to 200 characters after trimming"""
    _sign_in(client, ALICE)
    _create(client, {"title": "x"})
    _create(client, {"title": "t" * 200})
    for data, what in (
        ({"title": "t" * 201}, "a 201-character title"),
        ({"title": "   "}, "a title of spaces only"),
        ({"title": ""}, "an empty title"),
        ({}, "no title"),
        ({"title": 42}, "a title that is not a string"),
    ):
        response = client.post("/api/tasks", json=data)
        assert response.status_code == 400, f"POST /api/tasks with {what} should answer 400, got {response.status_code}"
        body = _json(response, "The 400")
        assert isinstance(body, dict) and isinstance(body.get("error"), str), f'the 400 should be {{"error": "..."}}, got {body}'
    response = client.post("/api/tasks", data="{not json", content_type="application/json")
    assert response.status_code == 400, f"POST /api/tasks with a body that is not JSON should answer 400, got {response.status_code}"
    assert len(_list(client)) == 2, "only the two valid tasks should have been saved"


@pytest.mark.req(4)
def test_description_and_status_rules(client):
    """description is a string of at most 2000 characters; status is todo, doing or done"""
    _sign_in(client, ALICE)
    _create(client, {"title": "long", "description": "d" * 2000})
    for status in ("todo", "doing", "done"):
        _create(client, {"title": status, "status": status})
    for data, what in (
        ({"title": "x", "description": "d" * 2001}, "a 2001-character description"),
        ({"title": "x", "description": 7}, "a description that is not a string"),
        ({"title": "x", "status": "finished"}, 'status "finished"'),
        ({"title": "x", "status": "DONE"}, 'status "DONE" (statuses are lower-case)'),
    ):
        response = client.post("/api/tasks", json=data)
        assert response.status_code == 400, f"POST /api/tasks with {what} should answer 400, got {response.status_code}"


@pytest.mark.req(5)
def test_list_own_tasks_in_order(client, app):
    """GET /api/tasks answers the logged-in user's tasks, oldest first, from the database"""
    _sign_in(client, ALICE)
    titles = ["first", "second", "third"]
    for title in titles:
        _create(client, {"title": title})
    other = app.test_client()  # a second browser: the same user, a new session
    assert other.post("/api/auth/login", json=ALICE).status_code == 200, "logging in again should answer 200"
    tasks = _list(other)
    assert [t.get("title") for t in tasks] == titles, (
        f"GET /api/tasks should answer the user's tasks oldest first (by id) {titles}, got {[t.get('title') for t in tasks]}"
    )
    assert all(sorted(t) == ["description", "id", "status", "title"] for t in tasks), f"each task should have id, title, description and status, got {tasks[0]}"


@pytest.mark.req(6)
def test_other_users_tasks_are_invisible(client, app, db_inspect):
    """Each task belongs to its creator: another user never sees it in GET /api/tasks"""
    alice_id = _sign_in(client, ALICE)
    _create(client, {"title": "warm-up"})  # so that no task id equals its owner's id
    _create(client, {"title": "alice's secret"})
    bob = app.test_client()
    bob_id = _sign_in(bob, BOB)
    assert _list(bob) == [], (
        "bob has no tasks, but GET /api/tasks answered some: filter the query by the logged-in user "
        "(filter_by(user_id=current_user().id))"
    )
    _create(bob, {"title": "bob's plan"})
    assert [t.get("title") for t in _list(bob)] == ["bob's plan"], "bob should see only his own task"
    assert [t.get("title") for t in _list(client)] == ["warm-up", "alice's secret"], "alice should see only her own tasks"
    owners = {}
    for table in db_inspect.tables():
        for row in db_inspect.rows(table):
            values = list(row.values())
            for title in ("alice's secret", "bob's plan"):
                if title in values:
                    owners[title] = values
    assert alice_id in owners.get("alice's secret", []) and bob_id in owners.get("bob's plan", []), (
        "each task's row in the database should hold its owner's user id (a user_id column), "
        f"found the rows {owners}"
    )
