"""set_cookie works with the Werkzeug of the run (2.2: server_name first; 2.3+: key first)."""
from flask_tutor_pytest import set_cookie


def test_set_cookie_helper(client):
    set_cookie(client, "theme", "dark")
    assert client.get("/theme").get_json() == {"theme": "dark"}
    set_cookie(client, "theme", "light", max_age=3600, samesite="Lax", domain="localhost")
    assert client.get("/theme").get_json() == {"theme": "light"}
