"""Checks for c03-read-replica: reads from the replica bind, writes to the primary.
The check opens both databases itself, from the app's SQLALCHEMY_DATABASE_URI and
SQLALCHEMY_BINDS["replica"]. Each check names the brief's numbered requirements it covers."""
import pytest
from sqlalchemy import create_engine, text


class Databases:
    def __init__(self, app):
        binds = app.config.get("SQLALCHEMY_BINDS") or {}
        assert "replica" in binds, 'app.config["SQLALCHEMY_BINDS"] needs a "replica" entry (the replica\'s URL)'
        self.engines = {"primary": create_engine(app.config["SQLALCHEMY_DATABASE_URI"]),
                        "replica": create_engine(binds["replica"])}

    def titles(self, which):
        with self.engines[which].connect() as conn:
            return [r[0] for r in conn.execute(text("SELECT title FROM article ORDER BY id"))]

    def insert(self, which, article_id, title):
        with self.engines[which].begin() as conn:
            conn.execute(text("INSERT INTO article (id, title) VALUES (:id, :title)"), {"id": article_id, "title": title})

    def close(self):
        for engine in self.engines.values():
            engine.dispose()


@pytest.fixture
def dbs(app):
    databases = Databases(app)
    yield databases
    databases.close()


def _create(client, title):
    response = client.post("/api/articles", json={"title": title})
    assert response.status_code == 201, (
        f"POST /api/articles should answer 201, got {response.status_code}: {response.get_data(as_text=True)[:200]!r}"
    )
    body = response.get_json(silent=True) or {}
    assert isinstance(body.get("id"), int) and body.get("title") == title, f'POST should answer {{"id": <int>, "title": {title!r}}}, got {body}'
    return body


def _replicate(client):
    response = client.post("/api/admin/replicate")
    assert response.status_code == 200, f"POST /api/admin/replicate should answer 200, got {response.status_code}"


def _listed(client):
    response = client.get("/api/articles")
    assert response.status_code == 200, f"GET /api/articles should answer 200, got {response.status_code}"
    items = (response.get_json(silent=True) or {}).get("items")
    assert isinstance(items, list), f'GET /api/articles should answer {{"items": [...]}}, got {response.get_data(as_text=True)[:200]!r}'
    return [a.get("title") for a in items]


@pytest.mark.req(1)
def test_writes_go_to_primary(client, dbs):
    """POST writes the primary, not the replica; blank titles are refused"""
    _create(client, "first")
    assert dbs.titles("primary") == ["first"], f"POST /api/articles should write the primary database, it has {dbs.titles('primary')}"
    assert dbs.titles("replica") == [], (
        f"POST /api/articles wrote to the replica ({dbs.titles('replica')}): writes go to the primary only"
    )
    for body in ({}, {"title": "  "}):
        assert client.post("/api/articles", json=body).status_code == 400, f"POST /api/articles with {body} should answer 400"


@pytest.mark.req(2)
def test_list_reads_replica(client, dbs):
    """GET /api/articles lists the replica: new articles appear after replication"""
    dbs.insert("replica", 500, "only on the replica")
    assert _listed(client) == ["only on the replica"], (
        f"GET /api/articles should read from the replica, which holds only 'only on the replica'; got {_listed(client)}"
    )
    _create(client, "fresh")
    assert "fresh" not in _listed(client), (
        "GET /api/articles listed an article that is not replicated yet: it reads from the primary, not the replica"
    )
    _replicate(client)
    assert _listed(client) == ["fresh"], f"after POST /api/admin/replicate the list should be ['fresh'], got {_listed(client)}"


@pytest.mark.req(3)
def test_get_one_reads_replica(client, dbs):
    """GET /api/articles/<id> reads the replica; 404 when it is not there"""
    dbs.insert("replica", 500, "replica copy")
    response = client.get("/api/articles/500")
    assert response.status_code == 200 and (response.get_json(silent=True) or {}).get("title") == "replica copy", (
        f"GET /api/articles/500 should read article 500 from the replica, got {response.status_code}"
    )
    created = _create(client, "not yet replicated")
    response = client.get(f"/api/articles/{created['id']}")
    assert response.status_code == 404, (
        f"GET /api/articles/{created['id']} should read from the replica, where the article is not yet: 404, got {response.status_code}"
    )
    _replicate(client)
    assert client.get(f"/api/articles/{created['id']}").status_code == 200, "after replication the article should be found"


@pytest.mark.req(4)
def test_patch_uses_primary(client, dbs):
    """PATCH reads and writes the primary, even before replication; the replica waits"""
    created = _create(client, "draft")
    response = client.patch(f"/api/articles/{created['id']}", json={"title": "final"})
    assert response.status_code == 200, (
        f"PATCH /api/articles/{created['id']} of an article not yet replicated should answer 200: the read of a write "
        f"must use the primary, got {response.status_code}"
    )
    assert (response.get_json(silent=True) or {}).get("title") == "final", f"PATCH should answer the updated article, got {response.get_json(silent=True)}"
    assert dbs.titles("primary") == ["final"], f"the primary should hold the new title, it has {dbs.titles('primary')}"
    assert dbs.titles("replica") == [], f"the replica should be unchanged until the next replication, it has {dbs.titles('replica')}"
    dbs.insert("replica", 700, "replica only")
    assert client.patch("/api/articles/700", json={"title": "x"}).status_code == 404, (
        "PATCH of an article that exists only on the replica should answer 404: writes look on the primary"
    )
