"""Checks for f1-routes. Each check names the brief's numbered requirements it covers."""
import pytest


def _json(response, what):
    assert response.is_json, "%s should answer with JSON; it answered %r." % (what, response.content_type)
    return response.get_json()


@pytest.mark.req(1)
def test_user_id_is_an_int(client):
    """GET /users/42 answers 200 with {"id": 42} (a number, not a string)"""
    response = client.get("/users/42")
    assert response.status_code == 200, "GET /users/42 should answer 200. Add a route /users/<int:user_id>."
    data = _json(response, "GET /users/42")
    assert data == {"id": 42}, (
        'GET /users/42 should answer {"id": 42} with the id as a number (use the int converter), got %r' % (data,)
    )


@pytest.mark.req(2)
def test_user_id_rejects_non_numbers(app, client):
    """GET /users/abc answers 404 because the int converter does not match"""
    ok = client.get("/users/7")
    assert ok.status_code == 200, "GET /users/7 should answer 200 first (a route /users/<int:user_id> is needed)."
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash answers 500, so the sentence below is shown
    response = client.get("/users/abc")
    assert response.status_code == 404, (
        "GET /users/abc should answer 404: with <int:user_id> the route only matches digits "
        "(a <user_id> converted with int() in the view crashes on 'abc' instead)."
    )


@pytest.mark.req(3)
def test_path_converter_keeps_slashes(client):
    """GET /files/docs/guide/intro.txt answers 200 with the whole path"""
    response = client.get("/files/docs/guide/intro.txt")
    assert response.status_code == 200, (
        "GET /files/docs/guide/intro.txt should answer 200. Use the path converter: /files/<path:name>."
    )
    data = _json(response, "GET /files/docs/guide/intro.txt")
    assert data == {"path": "docs/guide/intro.txt"}, (
        'GET /files/docs/guide/intro.txt should answer {"path": "docs/guide/intro.txt"}, got %r' % (data,)
    )


@pytest.mark.req(4)
def test_messages_get_and_post_differ(client):
    """GET /messages answers 200 and POST /messages answers 201, each naming its method"""
    got = client.get("/messages")
    assert got.status_code == 200, "GET /messages should answer 200."
    assert _json(got, "GET /messages") == {"method": "GET"}, 'GET /messages should answer {"method": "GET"}.'
    posted = client.post("/messages")
    if posted.status_code == 405:
        pytest.fail("POST /messages is not allowed: add methods=['GET', 'POST'] to the route of /messages.")
    assert posted.status_code == 201, (
        "POST /messages should answer 201 Created: return the body with the status, e.g. `return {...}, 201`."
    )
    assert _json(posted, "POST /messages") == {"method": "POST"}, 'POST /messages should answer {"method": "POST"}.'


@pytest.mark.req(5)
def test_messages_other_method_is_405(client):
    """DELETE /messages answers 405 Method Not Allowed"""
    assert client.get("/messages").status_code == 200, "GET /messages should answer 200 first."
    response = client.delete("/messages")
    assert response.status_code == 405, (
        "DELETE /messages should answer 405 Method Not Allowed: only GET and POST are allowed on /messages."
    )
