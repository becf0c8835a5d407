"""Runs after test_0_without_fixture.py, with the app loaded when the run started."""


def test_preloaded_app_has_a_clean_database(client):
    # the note of the check before went to that check's own database, not to this app's
    assert client.get("/notes").get_json() == {"notes": []}
    assert client.post("/notes", json={"text": "a"}).status_code == 201
