"""Checks for apps/module_notes (module-level app, hard-coded sqlite:///app.db)."""


def test_notes_empty(client):
    assert client.get("/notes").get_json() == {"notes": []}


def test_add_note(client, db_inspect):
    assert client.post("/notes", json={"text": "hi"}).status_code == 201
    assert client.get("/notes").get_json() == {"notes": ["hi"]}
    assert [r["text"] for r in db_inspect.rows("note")] == ["hi"]


def test_notes_empty_again(client):
    assert client.get("/notes").get_json() == {"notes": []}


def test_visits_fresh(client):
    assert client.get("/visit").get_json() == {"visits": 1}


def test_visits_fresh_again(client):
    assert client.get("/visit").get_json() == {"visits": 1}


def test_db_file_redirected(app, app_dir):
    with app.app_context():
        url = str(app.extensions["sqlalchemy"].engine.url)
    assert str(app_dir) not in url
