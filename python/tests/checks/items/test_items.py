"""Checks run against apps/factory_items. Each has a known outcome asserted by test_items_run.py."""
import os
import sys

import pytest

from flask_tutor_pytest import expect_header, expect_in, expect_json, expect_status


def test_home(client):
    """GET / answers a greeting."""
    resp = client.get("/")
    expect_status(resp, 200)
    expect_in("Hello", resp)


def test_create_item(client):
    resp = client.post("/api/items", json={"name": "apple"})
    expect_status(resp, 201)
    assert expect_json(resp) == {"id": 1, "name": "apple"}


def test_clean_db_again(client):
    # would hit a UNIQUE constraint if the database were shared with test_create_item
    resp = client.post("/api/items", json={"name": "apple"})
    expect_json(resp, {"id": 1, "name": "apple"}, status=201)


def test_status_mismatch(client):
    expect_status(client.post("/api/items", data="name=apple"), 201)


def test_missing_route(client):
    expect_status(client.get("/api/item"), 200)


def test_method_not_allowed(client):
    expect_status(client.delete("/api/readonly"), 200)


def test_template_missing(client):
    client.get("/page")


def test_integrity(client):
    client.post("/api/items", json={"name": "pear"})
    client.post("/api/items", json={"name": "pear"})


def test_build_error(client):
    client.get("/link")


def test_not_json(client):
    expect_json(client.get("/html"))


def test_json_diff(client):
    expect_json(client.get("/api/readonly"), {"ok": False, "extra": [1, 2]})


def test_plain_compare(client):
    assert client.get("/api/readonly").get_json() == {"ok": False}


def test_plain_status(client):
    assert client.get("/nope").status_code == 200


def test_app_context(app_module):
    app_module.Item.query.all()


def test_crash_in_view(client):
    client.post("/api/items", json={})


def test_handled_500(client):
    expect_status(client.get("/divide"), 200)


def test_config(client, app_dir):
    data = expect_json(client.get("/config"))
    assert data["testing"] is True
    assert data["has_secret"] is False  # the plugin never fills in a SECRET_KEY
    assert str(app_dir) not in data["instance"]
    assert str(app_dir) not in data["db"]


@pytest.mark.app_config(FLAG="on")
def test_app_config_marker(client):
    assert client.get("/config").get_json()["flag"] == "on"


def test_db_inspect(client, db_inspect):
    client.post("/api/items", json={"name": "plum"})
    assert "item" in db_inspect.tables()
    assert db_inspect.columns("item") == ["id", "name"]
    assert db_inspect.rows("item") == [{"id": 1, "name": "plum"}]
    assert db_inspect.count("item") == 1


def test_sql_counter(client, sql_counter):
    with sql_counter() as counted:
        client.get("/api/items")
    assert counted.count == 1, counted.statements
    with sql_counter as again:
        pass
    assert again.count == 0


def test_header_and_in(client):
    resp = client.get("/hello/Ada")
    expect_header(resp, "Content-Type", contains="text/html")
    expect_in("Hello, Ada!", resp)
    expect_header(resp, "X-Missing")


def test_author_message(client):
    client.get("/")
    assert False, "The greeting must mention Flask"


def test_skipped():
    pytest.skip("not written yet")


def test_output_huge_and_binary(client):
    client.get("/")
    print("x" * 200_000)
    sys.stdout.flush()
    os.write(1, b"\xff\xfe\x00 raw bytes \xc3\x28\n")
    print("bad surrogate \udcff here")
    assert False, "fail with \udcff in the message"


def test_leaks_a_context(app):
    app.app_context().push()
    app.test_request_context("/").push()


def test_next_check_starts_outside_any_context(app_module):
    app_module.Item.query.all()  # must fail again: the leaked contexts were popped


def test_plain_get_json_on_html(client):
    assert client.get("/html").get_json()["ok"] is True


def test_db_execute(client, db_inspect):
    assert db_inspect.execute("INSERT INTO item (name) VALUES (:n)", {"n": "fig"}) == 1
    assert db_inspect.execute("INSERT INTO item (name) VALUES (:n)", [{"n": "kiwi"}, {"n": "lime"}]) == 2
    assert db_inspect.execute("UPDATE item SET name = name || '!'") == 3
    # committed: the app's own session sees the rows
    assert [i["name"] for i in client.get("/api/items").get_json()] == ["fig!", "kiwi!", "lime!"]
    assert db_inspect.count("item") == 3
