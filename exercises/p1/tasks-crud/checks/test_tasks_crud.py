"""Checks for p1-tasks-crud: CRUD on /api/tasks with Flask-RESTX, validation, the OpenAPI document,
DATABASE_URL. Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

from flask_tutor_pytest.helpers import about

URL = "/api/tasks"
FIELDS = {"id", "title", "description", "status"}


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
    assert body is not None, f"{what} should answer JSON, got {response.get_data(as_text=True)[:200]!r}"
    return body


def _create(client, **task):
    task.setdefault("title", "Write the report")
    response = client.post(URL, json=task)
    with about(hint="Answer the new task with its status: `return task, 201` under `@ns.marshal_with(task_output, code=201)`."):
        assert response.status_code == 201, f"POST {URL} with {task} should answer 201, got {response.status_code}: {response.get_data(as_text=True)[:200]}"
    body = _json(response, f"POST {URL}")
    assert isinstance(body, dict) and isinstance(body.get("id"), int), f"POST {URL} should answer the task with its integer id, got {body}"
    return body


def _exact(task, what):
    assert isinstance(task, dict) and set(task) == FIELDS, (
        f"{what} should be a task with exactly the fields {sorted(FIELDS)}, got {task}"
    )


@pytest.mark.req(1)
def test_create(client):
    """POST creates a task: 201, exactly its four fields, defaults for description and status"""
    created = _create(client, title="Write the report")
    _exact(created, f"POST {URL}")
    assert (created["title"], created["description"], created["status"]) == ("Write the report", "", "todo"), (
        f"a task sent with only a title should get description \"\" and status \"todo\", got {created}"
    )
    full = _create(client, title="Review", description="Chapter 2", status="in_progress")
    assert (full["title"], full["description"], full["status"]) == ("Review", "Chapter 2", "in_progress"), (
        f"POST {URL} should keep the title, description and status it was sent, got {full}"
    )
    assert full["id"] != created["id"], f"two tasks should get two different ids, got {created['id']} twice"


@pytest.mark.req(2)
def test_create_validation(client):
    """Missing, empty, too long or wrongly typed fields and an unknown status answer 400; 200 characters pass"""
    bad = [{}, {"description": "no title"}, {"title": ""}, {"title": "x" * 201}, {"title": 5},
           {"title": "ok", "status": "finished"}, {"title": "ok", "description": 7}, {"title": "ok", "description": "d" * 2001}]
    for body in bad:
        response = client.post(URL, json=body)
        with about(hint="Validate with the model: `@ns.expect(task_input, validate=True)`, with `required=True`, `min_length`, `max_length` and `enum` on its fields."):
            assert response.status_code == 400, f"POST {URL} with {str(body)[:80]} should answer 400, got {response.status_code}"
        assert isinstance(_json(response, f"POST {URL} with {str(body)[:80]}"), dict), "the 400 should be a JSON object"
    listed = _json(client.get(URL), f"GET {URL}")
    assert listed == [], f"a refused POST must create nothing, but GET {URL} lists {listed}"
    _create(client, title="x" * 200, description="d" * 2000)


@pytest.mark.req(3)
def test_list_and_filter(client):
    """GET lists every task oldest first; ?status= filters; an unknown status answers 400"""
    a = _create(client, title="A")
    b = _create(client, title="B", status="done")
    c = _create(client, title="C")
    response = client.get(URL)
    assert response.status_code == 200, f"GET {URL} should answer 200, got {response.status_code}"
    listed = _json(response, f"GET {URL}")
    assert listed == [a, b, c], f"GET {URL} should list every task in the order they were created, got {listed}"
    for task in listed:
        _exact(task, f"each task of GET {URL}")
    done = _json(client.get(f"{URL}?status=done"), f"GET {URL}?status=done")
    assert done == [b], f"GET {URL}?status=done should list only the done task, got {done}"
    todo = _json(client.get(f"{URL}?status=todo"), f"GET {URL}?status=todo")
    assert todo == [a, c], f"GET {URL}?status=todo should list the two todo tasks, got {todo}"
    response = client.get(f"{URL}?status=later")
    with about(hint="A query argument with `choices=STATUSES` in a RESTX parser answers 400 for any other value."):
        assert response.status_code == 400, f"GET {URL}?status=later should answer 400 (unknown status), got {response.status_code}"


@pytest.mark.req(4)
def test_read_one(client):
    """GET /api/tasks/<id> answers the task; an unknown id answers 404 with a message"""
    task = _create(client, title="Read me", description="once")
    response = client.get(f"{URL}/{task['id']}")
    assert response.status_code == 200, f"GET {URL}/{task['id']} should answer 200, got {response.status_code}"
    assert _json(response, f"GET {URL}/{task['id']}") == task, f"GET {URL}/{task['id']} should answer the task {task}"
    response = client.get(f"{URL}/999")
    assert response.status_code == 404, f"GET {URL}/999 should answer 404, got {response.status_code}"
    body = _json(response, f"GET {URL}/999")
    assert isinstance(body, dict) and isinstance(body.get("message"), str), f"the 404 should be a JSON object with a message, got {body}"


@pytest.mark.req(5)
def test_patch(client):
    """PATCH changes only the fields sent, validates them, saves them; 404 for an unknown id"""
    task = _create(client, title="Draft", description="first")
    item = f"{URL}/{task['id']}"
    response = client.patch(item, json={"status": "done"})
    assert response.status_code == 200, f"PATCH {item} with {{'status': 'done'}} should answer 200, got {response.status_code}"
    expected = {**task, "status": "done"}
    assert _json(response, f"PATCH {item}") == expected, f"PATCH {item} should answer the changed task {expected}"
    with about(hint="Save the change with `db.session.commit()` before answering."):
        again = _json(client.get(item), f"GET {item}")
        assert again == expected, f"after PATCH, GET {item} should answer {expected} (the change saved), got {again}"
    response = client.patch(item, json={"title": "Final", "description": ""})
    expected = {**expected, "title": "Final", "description": ""}
    assert _json(response, f"PATCH {item}") == expected, f"PATCH {item} with a title and description should answer {expected}"
    for body in ({"title": ""}, {"status": "later"}, {"title": "x" * 201}, {"title": None}):
        response = client.patch(item, json=body)
        with about(hint="Validate PATCH too, with a model whose fields are not required: `@ns.expect(task_patch, validate=True)`."):
            assert response.status_code == 400, f"PATCH {item} with {str(body)[:60]} should answer 400, got {response.status_code}"
    assert _json(client.get(item), f"GET {item}") == expected, f"a refused PATCH must change nothing: expected {expected}"
    response = client.patch(f"{URL}/999", json={"status": "done"})
    assert response.status_code == 404, f"PATCH {URL}/999 should answer 404, got {response.status_code}"


@pytest.mark.req(6)
def test_delete(client):
    """DELETE answers 204 with no body; the task is gone; 404 for an unknown id"""
    keep = _create(client, title="Keep")
    task = _create(client, title="Delete me")
    item = f"{URL}/{task['id']}"
    response = client.delete(item)
    assert response.status_code == 204, f"DELETE {item} should answer 204, got {response.status_code}"
    assert response.get_data() == b"", f"a 204 answer has no body, got {response.get_data()[:100]!r}"
    assert client.get(item).status_code == 404, f"after DELETE, GET {item} should answer 404"
    assert _json(client.get(URL), f"GET {URL}") == [keep], "DELETE should remove that task only"
    assert client.delete(item).status_code == 404, f"a second DELETE {item} should answer 404"


@pytest.mark.req(7)
def test_openapi(client):
    """/swagger serves Swagger UI; /swagger.json documents paths, models and responses"""
    assert client.get("/swagger").status_code == 200, "GET /swagger should serve Swagger UI"
    response = client.get("/swagger.json")
    assert response.status_code == 200, f"GET /swagger.json should answer the OpenAPI document, got {response.status_code}"
    spec = response.get_json(silent=True) or {}
    paths = spec.get("paths") or {}
    for path, methods in (("/api/tasks", ("get", "post")), ("/api/tasks/{task_id}", ("get", "patch", "delete"))):
        assert path in paths, f"the OpenAPI document should describe {path}, got paths {sorted(paths)}"
        for method in methods:
            assert method in paths[path], f"the OpenAPI document should describe {method.upper()} {path}, got {sorted(paths[path])}"
    models = set(spec.get("definitions") or {})
    for name in ("Task", "TaskInput", "TaskPatch"):
        assert name in models, f"the OpenAPI document should define a model named {name}, got {sorted(models)}"
    documented = {
        ("/api/tasks", "post"): {"201", "400"},
        ("/api/tasks/{task_id}", "get"): {"200", "404"},
        ("/api/tasks/{task_id}", "patch"): {"200", "400", "404"},
        ("/api/tasks/{task_id}", "delete"): {"204", "404"},
    }
    for (path, method), codes in documented.items():
        got = set((paths.get(path, {}).get(method) or {}).get("responses") or {})
        with about(hint="Document each answer: `@ns.response(404, \"Task not found\")`, `@ns.marshal_with(task_output, code=201)`."):
            assert codes <= got, f"{method.upper()} {path} should document the responses {sorted(codes)}, got {sorted(got)}"


@pytest.mark.req(8)
def test_database_url(app_module, monkeypatch, tmp_path):
    """create_app() uses DATABASE_URL when it is set, a SQLite file otherwise"""
    url = "sqlite:///" + str(tmp_path / "from-env.sqlite")
    monkeypatch.setenv("DATABASE_URL", url)
    made = app_module.create_app()
    got = made.config.get("SQLALCHEMY_DATABASE_URI")
    assert got == url, f"with DATABASE_URL={url}, create_app() should set SQLALCHEMY_DATABASE_URI to it, got {got!r}"
    monkeypatch.delenv("DATABASE_URL")
    got = app_module.create_app().config.get("SQLALCHEMY_DATABASE_URI")
    assert isinstance(got, str) and got.startswith("sqlite:"), f"without DATABASE_URL, create_app() should use SQLite, got {got!r}"
