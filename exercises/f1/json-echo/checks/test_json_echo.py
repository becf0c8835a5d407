"""Checks for f1-json-echo. Each check names the brief's numbered requirements it covers."""
import json

import pytest


def _expect_json_error(response, what):
    assert response.status_code == 400, "%s should answer 400 Bad Request." % what
    assert response.is_json, (
        "%s should answer with a JSON error (Content-Type: application/json), not %r."
        % (what, response.content_type)
    )
    data = response.get_json()
    assert isinstance(data, dict) and data.get("error"), (
        '%s should answer a JSON object with an "error" message, like {"error": "..."}; got %r' % (what, data)
    )


@pytest.mark.req(1)
def test_echo_object(client):
    """POST /echo with a JSON object answers 200 with {"you_sent": <the object>}"""
    body = {"name": "Ada", "langs": ["python", "sql"], "age": 36}
    response = client.post("/echo", json=body)
    assert response.status_code == 200, "POST /echo with a JSON body should answer 200."
    assert response.is_json, "POST /echo should answer with JSON; it answered %r." % response.content_type
    assert response.get_json() == {"you_sent": body}, 'POST /echo should answer {"you_sent": <the body you received>}.'


@pytest.mark.req(2)
def test_echo_list(client):
    """POST /echo with a JSON list answers 200 with {"you_sent": <the list>}"""
    body = [1, "two", {"three": 3}]
    response = client.post("/echo", json=body)
    assert response.status_code == 200, "POST /echo with a JSON list should answer 200."
    assert response.is_json, "POST /echo should answer with JSON; it answered %r." % response.content_type
    assert response.get_json() == {"you_sent": body}, "Any JSON value should be echoed back, lists too."


@pytest.mark.req(4)
def test_plain_text_body_is_400_json(client):
    """POST /echo with a plain-text body answers 400 with a JSON error"""
    response = client.post("/echo", data="hello", content_type="text/plain")
    _expect_json_error(response, "POST /echo with a text/plain body")
    response = client.post("/echo", data='{"a": 1}', content_type="text/plain")
    _expect_json_error(response, 'POST /echo with {"a": 1} sent as text/plain (not declared JSON: do not force=True)')


@pytest.mark.req(3)
def test_missing_body_is_400_json(client):
    """POST /echo with no body answers 400 with a JSON error"""
    response = client.post("/echo")
    _expect_json_error(response, "POST /echo with no body")


@pytest.mark.req(5)
def test_broken_json_is_400_json(client):
    """POST /echo with broken JSON answers 400 with a JSON error"""
    response = client.post("/echo", data='{"name": ', content_type="application/json")
    _expect_json_error(response, "POST /echo with broken JSON")


@pytest.mark.req(2)
def test_echo_falsy_values(client):
    """Valid JSON that is "empty" ({}, [], 0, false, "") is echoed too, not refused"""
    for body in ({}, [], 0, False, "", "text", 3.5):
        response = client.post("/echo", data=json.dumps(body), content_type="application/json")
        assert response.status_code == 200, (
            "POST /echo with the valid JSON %s should answer 200, not %s: it is JSON, only \"empty\". "
            "Test `data is None` (no JSON at all), not `not data`." % (json.dumps(body), response.status)
        )
        assert response.get_json() == {"you_sent": body}, "POST /echo with %s should answer {\"you_sent\": %s}." % (json.dumps(body), json.dumps(body))
