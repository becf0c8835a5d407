"""Checks for f3-todo-crud: a JSON CRUD API over the todo table.

Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

from flask_tutor_pytest import expect_json, expect_status


def _rows(db_inspect, table):
    """The rows of ``table``; a clear failure when the table does not exist."""
    tables = db_inspect.tables()
    assert table in tables, (
        "There is no table named %r in the database (tables: %s). Flask-SQLAlchemy names a "
        "model's table after its class (Todo -> todo) unless __tablename__ says otherwise."
        % (table, ", ".join(tables) or "none")
    )
    return db_inspect.rows(table)


def _create(client, title):
    response = client.post("/todos", json={"title": title})
    data = expect_json(response, status=201)
    assert isinstance(data, dict) and isinstance(data.get("id"), int), (
        "POST /todos should answer the new todo as a JSON object with its integer id, "
        "for example {\"id\": 1, \"title\": %r, \"done\": false}." % title
    )
    return data


@pytest.mark.req(1)
def test_create_todo(client, db_inspect):
    """POST /todos answers 201 with the new todo and stores it in the todo table"""
    response = client.post("/todos", json={"title": "Buy milk"})
    data = expect_json(response, status=201)
    assert isinstance(data, dict), "POST /todos should answer a JSON object, not %r." % type(data).__name__
    assert isinstance(data.get("id"), int), "The new todo's JSON should contain its integer id."
    expect_json(response, {"id": data["id"], "title": "Buy milk", "done": False}, subset=True)
    rows = _rows(db_inspect, "todo")
    assert [(r["title"], bool(r["done"])) for r in rows] == [("Buy milk", False)], (
        "After POST /todos the todo table should hold the new todo (not done); it holds: %r" % rows
    )


@pytest.mark.req(2)
def test_create_answers_location(client):
    """The 201 answer of POST /todos has a Location header pointing at the new todo"""
    response = client.post("/todos", json={"title": "Buy milk"})
    data = expect_json(response, status=201)
    location = response.headers.get("Location")
    assert location, (
        "POST /todos should answer a Location header pointing at the new todo (/todos/%s): "
        "return (body, 201, {\"Location\": url_for(...)})." % (data.get("id") if isinstance(data, dict) else "<id>")
    )
    assert isinstance(data, dict) and location.endswith("/todos/%s" % data.get("id")), (
        "The Location header should point to the new todo (/todos/%s); it is %r." % (data.get("id") if isinstance(data, dict) else "<id>", location)
    )


@pytest.mark.req(3)
def test_create_requires_title(client, db_inspect):
    """POST /todos without a title (or with a blank one) answers 400 and stores nothing"""
    expect_status(client.post("/todos", json={}), 400, msg="A todo needs a title.")
    expect_status(client.post("/todos", json={"title": "   "}), 400, msg="A blank title is not a title.")
    assert len(_rows(db_inspect, "todo")) == 0, "Refused todos must not be stored in the todo table."


@pytest.mark.req(4)
def test_list_todos(client):
    """GET /todos lists every todo, oldest first"""
    first = _create(client, "Write tests")
    second = _create(client, "Ship it")
    data = expect_json(client.get("/todos"), status=200)
    assert isinstance(data, list), "GET /todos should answer a JSON list of todos."
    assert [t.get("id") for t in data if isinstance(t, dict)] == [first["id"], second["id"]], (
        "GET /todos should list both todos in the order they were created."
    )
    assert [t.get("title") for t in data] == ["Write tests", "Ship it"], "The listed todos should keep their titles."


@pytest.mark.req(5)
def test_get_one_todo(client):
    """GET /todos/<id> answers the todo, and 404 for an id that does not exist"""
    todo = _create(client, "Read the docs")
    expect_json(client.get("/todos/%d" % todo["id"]), {"id": todo["id"], "title": "Read the docs", "done": False},
                status=200, subset=True)
    expect_status(client.get("/todos/9999"), 404, msg="There is no todo 9999.")


@pytest.mark.req(6)
def test_patch_todo(client, db_inspect):
    """PATCH /todos/<id> updates done and title, and the change is saved"""
    todo = _create(client, "Water the plants")
    url = "/todos/%d" % todo["id"]
    expect_json(client.patch(url, json={"done": True}), {"id": todo["id"], "title": "Water the plants", "done": True},
                status=200, subset=True)
    # The most specific diagnosis first: was the change saved at all?
    rows = _rows(db_inspect, "todo")
    assert [(r["title"], bool(r["done"])) for r in rows] == [("Water the plants", True)], (
        "PATCH answered the change, but the todo table still holds the old todo: save it with "
        "db.session.commit(). The table holds: %r" % rows
    )
    expect_json(client.patch(url, json={"title": "Water the cactus"}), {"id": todo["id"], "title": "Water the cactus", "done": True},
                status=200, subset=True,
                msg="PATCH changes only the fields it receives: done must stay true.")
    rows = _rows(db_inspect, "todo")
    assert [(r["title"], bool(r["done"])) for r in rows] == [("Water the cactus", True)], (
        "The todo table should hold the updated todo (did you forget db.session.commit()?); it holds: %r" % rows
    )


@pytest.mark.req(7)
def test_patch_unknown_todo(client):
    """PATCH /todos/<id> answers 404 for a todo that does not exist"""
    expect_status(client.patch("/todos/9999", json={"done": True}), 404, msg="There is no todo 9999 to update.")


@pytest.mark.req(8)
def test_delete_todo(client, db_inspect):
    """DELETE /todos/<id> answers 204, removes the row, and the todo is gone afterwards"""
    keep = _create(client, "Keep me")
    gone = _create(client, "Delete me")
    response = expect_status(client.delete("/todos/%d" % gone["id"]), 204)
    assert response.get_data() == b"", "A 204 No Content answer has an empty body."
    expect_status(client.get("/todos/%d" % gone["id"]), 404, msg="The deleted todo should be gone.")
    assert [r["id"] for r in _rows(db_inspect, "todo")] == [keep["id"]], "Only the other todo should remain in the todo table."
    expect_status(client.delete("/todos/%d" % gone["id"]), 404, msg="Deleting it a second time finds nothing.")
