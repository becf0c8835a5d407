"""Checks for f1-json-echo."""


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


def test_echo_object(client):
    """POST /echo with a JSON object answers 200 with {"you_sent": <the object>}"""
    body = {"name": "Ada", "langs": ["python", "sql"], "age": 36}
    response = client.post("/echo", json=body)
    assert response.status_code == 200, "POST /echo with a JSON body should answer 200."
    assert response.is_json, "POST /echo should answer with JSON; it answered %r." % response.content_type
    assert response.get_json() == {"you_sent": body}, 'POST /echo should answer {"you_sent": <the body you received>}.'


def test_echo_list(client):
    """POST /echo with a JSON list answers 200 with {"you_sent": <the list>}"""
    body = [1, "two", {"three": 3}]
    response = client.post("/echo", json=body)
    assert response.status_code == 200, "POST /echo with a JSON list should answer 200."
    assert response.is_json, "POST /echo should answer with JSON; it answered %r." % response.content_type
    assert response.get_json() == {"you_sent": body}, "Any JSON value should be echoed back, lists too."


def test_plain_text_body_is_400_json(client):
    """POST /echo with a plain-text body answers 400 with a JSON error"""
    response = client.post("/echo", data="hello", content_type="text/plain")
    _expect_json_error(response, "POST /echo with a text/plain body")


def test_missing_body_is_400_json(client):
    """POST /echo with no body answers 400 with a JSON error"""
    response = client.post("/echo")
    _expect_json_error(response, "POST /echo with no body")


def test_broken_json_is_400_json(client):
    """POST /echo with broken JSON answers 400 with a JSON error"""
    response = client.post("/echo", data='{"name": ', content_type="application/json")
    _expect_json_error(response, "POST /echo with broken JSON")
