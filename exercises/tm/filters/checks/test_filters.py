"""Checks for tm-filters: GET /api/tasks with ?status=, ?sort=, ?page= and ?per_page=, and the
totals. Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

ALICE = {"username": "alice_01", "password": "correct-horse-42"}
BOB = {"username": "bob_02", "password": "another-secret-9"}
ENVELOPE = ["page", "pages", "per_page", "tasks", "total"]


def _sign_in(client, user):
    response = client.post("/api/auth/register", json=user)
    assert response.status_code == 201, f"registering {user['username']} should answer 201 (stage 1), got {response.status_code}"
    response = client.post("/api/auth/login", json=user)
    assert response.status_code == 200, f"logging in as {user['username']} should answer 200 (stage 1), got {response.status_code}"


def _create(client, title, status="todo"):
    response = client.post("/api/tasks", json={"title": title, "status": status})
    assert response.status_code == 201, f"POST /api/tasks should answer 201 (stage 2), got {response.status_code}"
    return response.get_json()


def _list(client, query=""):
    response = client.get("/api/tasks" + query)
    assert response.status_code == 200, f"GET /api/tasks{query} should answer 200, got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    body = response.get_json()
    assert isinstance(body, dict) and isinstance(body.get("tasks"), list), f'GET /api/tasks{query} should answer {{"tasks": [...], ...}}, got {str(body)[:200]}'
    return body


def _titles(body):
    return [t.get("title") for t in body["tasks"]]


def _bad(client, query, what):
    response = client.get("/api/tasks" + query)
    assert response.status_code == 400, f"GET /api/tasks{query} ({what}) should answer 400, got {response.status_code}"
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and isinstance(body.get("error"), str), f'the 400 should be {{"error": "..."}}, got {response.get_data(as_text=True)[:200]}'


@pytest.mark.req(1)
def test_envelope_defaults(client):
    """Without parameters: every task oldest first, page 1, per_page 20, with total and pages"""
    _sign_in(client, ALICE)
    for title in ("one", "two", "three"):
        _create(client, title)
    body = _list(client)
    assert sorted(body) == ENVELOPE, f"GET /api/tasks should answer exactly the keys {ENVELOPE}, got {sorted(body)}"
    assert _titles(body) == ["one", "two", "three"], f"by default the tasks come oldest first, got {_titles(body)}"
    got = {k: body[k] for k in ("total", "page", "per_page", "pages")}
    assert got == {"total": 3, "page": 1, "per_page": 20, "pages": 1}, f"expected total 3, page 1, per_page 20, pages 1, got {got}"


@pytest.mark.req(2)
def test_filter_by_status(client):
    """?status= keeps only the tasks with that status; total counts them"""
    _sign_in(client, ALICE)
    for title, status in (("a", "todo"), ("b", "done"), ("c", "doing"), ("d", "done")):
        _create(client, title, status)
    body = _list(client, "?status=done")
    assert _titles(body) == ["b", "d"], f"GET /api/tasks?status=done should list b and d, got {_titles(body)}"
    assert body.get("total") == 2, f"total should count the matching tasks (2), got {body.get('total')}"
    assert _titles(_list(client, "?status=doing")) == ["c"], "?status=doing should list only c"


@pytest.mark.req(3)
def test_unknown_status_is_400(client):
    """?status= other than todo, doing, done answers 400"""
    _sign_in(client, ALICE)
    _create(client, "a")
    _bad(client, "?status=finished", "an unknown status")
    _bad(client, "?status=DONE", "statuses are lower-case")
    _bad(client, "?status=", "an empty status")


@pytest.mark.req(4)
def test_sort(client):
    """?sort=id (default), -id (newest first), title (A to Z, ignoring case, ties by id)"""
    _sign_in(client, ALICE)
    # Upper-case "Cherry" sorts before "apple" in a case-sensitive (binary) order.
    for title in ("banana", "Apple", "Cherry", "apple"):
        _create(client, title)
    got = _titles(_list(client, "?sort=id"))
    assert got == ["banana", "Apple", "Cherry", "apple"], f"?sort=id should list oldest first, got {got}"
    got = _titles(_list(client, "?sort=-id"))
    assert got == ["apple", "Cherry", "Apple", "banana"], f"?sort=-id should list newest first, got {got}"
    got = _titles(_list(client, "?sort=title"))
    assert got == ["Apple", "apple", "banana", "Cherry"], (
        f"?sort=title should sort A to Z ignoring case (ties by id): ['Apple', 'apple', 'banana', 'Cherry'], got {got}; "
        "order by db.func.lower(Task.title), then Task.id"
    )
    _bad(client, "?sort=date", "an unknown sort")


@pytest.mark.req(5)
def test_pagination(client):
    """page and per_page cut the list; total and pages describe all of it"""
    _sign_in(client, ALICE)
    for n in range(1, 8):
        _create(client, f"task {n}", "done" if n % 2 else "todo")
    body = _list(client, "?per_page=3&page=2")
    assert _titles(body) == ["task 4", "task 5", "task 6"], f"page 2 of 3 per page should hold tasks 4 to 6, got {_titles(body)}"
    got = {k: body.get(k) for k in ("total", "page", "per_page", "pages")}
    assert got == {"total": 7, "page": 2, "per_page": 3, "pages": 3}, (
        f"expected total 7 (all pages, not this page), page 2, per_page 3, pages 3, got {got}"
    )
    assert _titles(_list(client, "?per_page=3&page=3")) == ["task 7"], "the last page (3) should hold only task 7"
    body = _list(client, "?per_page=3&page=4")
    assert body["tasks"] == [] and body.get("total") == 7, f"a page after the last should answer 200 with no tasks and total 7, got {body}"
    body = _list(client, "?status=done&sort=-id&per_page=2")
    assert _titles(body) == ["task 7", "task 5"] and body.get("total") == 4 and body.get("pages") == 2, (
        f"status, sort and pages combine: ?status=done&sort=-id&per_page=2 should give task 7 and task 5, total 4, pages 2, got {body}"
    )
    assert _list(client, "?per_page=100")["per_page"] == 100, "per_page=100 is allowed"
    assert len(_list(client, "?per_page=1")["tasks"]) == 1, "per_page=1 is allowed"


@pytest.mark.req(6)
def test_bad_page_parameters(client):
    """page below 1, per_page outside 1..100, or a non-integer answers 400"""
    _sign_in(client, ALICE)
    _create(client, "a")
    for query, what in (
        ("?page=0", "page 0"), ("?page=-1", "a negative page"), ("?page=abc", "a page that is not an integer"),
        ("?per_page=0", "per_page 0"), ("?per_page=101", "per_page 101 (the maximum is 100)"),
        ("?per_page=ten", "a per_page that is not an integer"),
    ):
        _bad(client, query, what)


@pytest.mark.req(7)
def test_only_own_tasks_counted(app, client):
    """Filters, pages and totals cover only the logged-in user's tasks"""
    _sign_in(client, ALICE)
    _create(client, "alice 1", "done")
    bob = app.test_client()
    _sign_in(bob, BOB)
    for n in range(3):
        _create(bob, f"bob {n}", "done")
    body = _list(client, "?status=done")
    assert _titles(body) == ["alice 1"], f"alice should see only her done task, got {_titles(body)}"
    assert body.get("total") == 1 and body.get("pages") == 1, (
        f"total and pages should count only alice's tasks (1 and 1), got total {body.get('total')} and pages {body.get('pages')}: "
        "count the same owner-filtered query"
    )
    empty = app.test_client()
    _sign_in(empty, {"username": "carol_3", "password": "third-secret-7"})
    body = _list(empty)
    got = {k: body.get(k) for k in ("total", "pages")}
    assert body["tasks"] == [] and got == {"total": 0, "pages": 0}, f"a user without tasks should get no tasks, total 0 and pages 0, got {body}"
