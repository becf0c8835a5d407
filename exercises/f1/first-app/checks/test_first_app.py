"""Checks for f1-first-app. Each check names the brief's numbered requirements it covers."""
import pytest


@pytest.mark.req(1)
def test_index_answers_200(client):
    """GET / answers with status 200"""
    response = client.get("/")
    assert response.status_code == 200, "GET / should answer 200 OK: add a route for '/' inside create_app()."


@pytest.mark.req(2)
def test_index_greets(client):
    """GET / answers with a greeting that contains the word Hello"""
    response = client.get("/")
    assert response.status_code == 200, "GET / should answer 200 OK before we can read its greeting."
    body = response.get_data(as_text=True)
    assert "hello" in body.lower(), "The response of GET / should contain the word 'Hello'; it was: %r" % body[:200]


@pytest.mark.req(3)
def test_health_answers_200(client):
    """GET /health answers with status 200"""
    response = client.get("/health")
    assert response.status_code == 200, "GET /health should answer 200 OK: add a route for '/health'."


@pytest.mark.req(4)
def test_health_is_json_status_ok(client):
    """GET /health answers with the JSON {"status": "ok"}"""
    response = client.get("/health")
    assert response.status_code == 200, "GET /health should answer 200 OK before we can read its JSON."
    assert response.is_json, (
        "GET /health should answer with JSON (Content-Type: application/json); it answered %r. "
        "Return a dict from the view." % response.content_type
    )
    assert response.get_json() == {"status": "ok"}, 'GET /health should answer exactly {"status": "ok"}.'
