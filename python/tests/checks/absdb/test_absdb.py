"""Checks for apps/abs_db (absolute database paths, raw sqlite3)."""


def test_hit(client, app_dir):
    data = client.get("/hit").get_json()
    assert data["hits"] == 1
    assert str(app_dir) not in data["url"]


def test_hit_again(client):
    assert client.get("/hit").get_json()["hits"] == 1


def test_raw_log(client, db_inspect, sql_counter):
    with sql_counter() as c:
        assert client.get("/log").get_json() == {"rows": 1}
    assert c.count >= 2
    assert db_inspect.tables() == ["hits"]


def test_write_file(client):
    client.get("/write-file")
