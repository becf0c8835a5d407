"""Checks for c01-health: liveness and readiness (database) health checks.
Each check names the brief's numbered requirements it covers (@pytest.mark.req).
The database is made unreachable by making every SQLAlchemy connection attempt fail."""
import pytest

LIVE, READY = "/health/live", "/health/ready"
DOWN_MESSAGE = "database down (simulated by the check) at db-secret-host:5432 as admin"


@pytest.fixture
def db_down(monkeypatch):
    """From now on, every new SQLAlchemy connection fails as if the database were down."""
    import sqlalchemy.engine
    import sqlalchemy.exc

    def refuse(self, *args, **kwargs):
        raise sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception(DOWN_MESSAGE))

    monkeypatch.setattr(sqlalchemy.engine.Engine, "raw_connection", refuse)


def _json(response, url):
    body = response.get_json(silent=True)
    assert body is not None, f"GET {url} should answer JSON, got {response.get_data(as_text=True)[:200]!r}"
    return body


@pytest.mark.req(1)
def test_live(client):
    """GET /health/live answers 200 {"status": "ok"}"""
    response = client.get(LIVE)
    assert response.status_code == 200, f"GET {LIVE} should answer 200, got {response.status_code}"
    assert _json(response, LIVE) == {"status": "ok"}, f'GET {LIVE} should answer {{"status": "ok"}}, got {response.get_json()}'


@pytest.mark.req(2)
def test_live_without_database(client, db_down):
    """Liveness answers 200 while the database is down"""
    try:
        response = client.get(LIVE)
    except Exception as e:  # noqa: BLE001 - the view used the database
        raise AssertionError(
            f"GET {LIVE} failed while the database is down ({type(e).__name__}): liveness must not use the database"
        ) from None
    assert response.status_code == 200, (
        f"GET {LIVE} should answer 200 while the database is down (liveness must not use the database), "
        f"got {response.status_code}"
    )
    assert _json(response, LIVE) == {"status": "ok"}, f'GET {LIVE} should answer {{"status": "ok"}}, got {response.get_json()}'


@pytest.mark.req(3)
def test_ready(client):
    """GET /health/ready answers 200 with the database check ok"""
    response = client.get(READY)
    assert response.status_code == 200, f"GET {READY} should answer 200 when the database works, got {response.status_code}"
    expected = {"status": "ready", "checks": {"database": "ok"}}
    assert _json(response, READY) == expected, f"GET {READY} should answer {expected}, got {response.get_json()}"


@pytest.mark.req(3, 4)
def test_ready_database_down(client, db_down):
    """Readiness answers 503 with the database check error, without the error text"""
    response = client.get(READY)
    assert response.status_code == 503, (
        f"GET {READY} should answer 503 when the database query fails (did it really query the database?), "
        f"got {response.status_code}"
    )
    text = response.get_data(as_text=True)
    assert "secret-host" not in text and "simulated" not in text, (
        f"the 503 answer must not leak the database error's text, got {text[:300]!r}"
    )
    expected = {"status": "unavailable", "checks": {"database": "error"}}
    assert _json(response, READY) == expected, f"GET {READY} should answer {expected}, got {response.get_json()}"


@pytest.mark.req(5)
def test_no_store(client, monkeypatch):
    """Cache-Control: no-store on live, ready, and the 503"""
    for url in (LIVE, READY):
        response = client.get(url)
        value = response.headers.get("Cache-Control", "")
        assert "no-store" in value, f"GET {url} should carry Cache-Control: no-store, got {value!r}"
    import sqlalchemy.engine
    import sqlalchemy.exc

    def refuse(self, *args, **kwargs):
        raise sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("down"))

    monkeypatch.setattr(sqlalchemy.engine.Engine, "raw_connection", refuse)
    response = client.get(READY)
    value = response.headers.get("Cache-Control", "")
    assert response.status_code == 503 and "no-store" in value, (
        f"the 503 of GET {READY} should carry Cache-Control: no-store too, got {response.status_code} and {value!r}"
    )


@pytest.mark.req(6)
def test_api_still_works(client):
    """GET /api/tasks answers a JSON array"""
    response = client.get("/api/tasks")
    assert response.status_code == 200, f"GET /api/tasks should answer 200, got {response.status_code}"
    assert isinstance(response.get_json(silent=True), list), "GET /api/tasks should answer a JSON array"
